package dev.intake.worker;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

/** Image (and non-image) bytes made in the test, so no binary fixtures are needed. */
public final class TestImages {

	/** A real 1x1 lossless WebP (the well-known feature-detection sample). */
	private static final String WEBP_LOSSLESS_1X1 = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==";

	private TestImages() {
	}

	public static byte[] png(int width, int height) {
		return write("png", image(width, height, BufferedImage.TYPE_INT_ARGB));
	}

	public static byte[] jpeg(int width, int height) {
		return write("jpeg", image(width, height, BufferedImage.TYPE_INT_RGB));
	}

	public static byte[] gif(int width, int height) {
		return write("gif", image(width, height, BufferedImage.TYPE_INT_RGB));
	}

	public static byte[] bmp(int width, int height) {
		return write("bmp", image(width, height, BufferedImage.TYPE_INT_RGB));
	}

	public static byte[] tiff(int width, int height) {
		return write("tiff", image(width, height, BufferedImage.TYPE_INT_RGB));
	}

	/** An icon holding one PNG image (the format Windows Vista introduced). */
	public static byte[] ico(int width, int height) {
		byte[] png = png(width, height);
		ByteBuffer ico = ByteBuffer.allocate(6 + 16 + png.length).order(ByteOrder.LITTLE_ENDIAN);
		ico.putShort((short) 0).putShort((short) 1).putShort((short) 1);
		ico.put((byte) (width & 0xFF)).put((byte) (height & 0xFF)).put((byte) 0).put((byte) 0);
		ico.putShort((short) 1).putShort((short) 32).putInt(png.length).putInt(22);
		ico.put(png);
		return ico.array();
	}

	public static byte[] webpLossless1x1() {
		return Base64.getDecoder().decode(WEBP_LOSSLESS_1X1);
	}

	/** A lossless WebP header stating the given size, followed by no usable image data. */
	public static byte[] webpHeader(int width, int height) {
		ByteBuffer webp = ByteBuffer.allocate(12 + 8 + 5 + 11).order(ByteOrder.LITTLE_ENDIAN);
		webp.put(ascii("RIFF")).putInt(webp.capacity() - 8).put(ascii("WEBP"));
		webp.put(ascii("VP8L")).putInt(5 + 11).put((byte) 0x2F);
		webp.putInt((width - 1) | ((height - 1) << 14));
		return webp.array();
	}

	/** A valid PNG whose header claims another size: what a decompression bomb looks like. */
	public static byte[] pngClaiming(int width, int height) {
		byte[] png = png(1, 1);
		ByteBuffer ihdr = ByteBuffer.wrap(png);
		ihdr.putInt(16, width).putInt(20, height);
		CRC32 crc = new CRC32();
		crc.update(png, 12, 4 + 13);
		ihdr.putInt(29, (int) crc.getValue());
		return png;
	}

	public static byte[] svg(String rootAttributes) {
		return ascii("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- drawn by hand -->\n"
				+ "<svg xmlns=\"http://www.w3.org/2000/svg\" " + rootAttributes + "><rect width=\"1\" height=\"1\"/></svg>");
	}

	public static byte[] pdf() {
		return ascii("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
	}

	public static byte[] html() {
		return ascii("<!DOCTYPE html><html><body><svg width=\"10\" height=\"10\"></svg></body></html>");
	}

	public static byte[] zip() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			zip.putNextEntry(new ZipEntry("a.png"));
			zip.write(png(2, 2));
			zip.closeEntry();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	public static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static BufferedImage image(int width, int height, int type) {
		BufferedImage image = new BufferedImage(width, height, type);
		Graphics2D g = image.createGraphics();
		g.setColor(Color.ORANGE);
		g.fillRect(0, 0, width, height);
		g.setColor(Color.BLUE);
		g.drawLine(0, 0, width - 1, height - 1);
		g.dispose();
		return image;
	}

	private static byte[] write(String format, BufferedImage image) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			if (!ImageIO.write(image, format, out)) {
				throw new IllegalStateException("no ImageIO writer for " + format);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

}
