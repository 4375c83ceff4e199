package dev.intake.testsupport;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Image (and non-image) bytes made in code, so no binary fixtures are needed.
 * <ul>
 * <li>{@code TestImages.png(64, 48)}, {@code jpeg}, {@code gif}, {@code bmp}, {@code tiff}, {@code ico}: the
 * same picture for the same size, every time;</li>
 * <li>{@code TestImages.unique().png(64, 48)}: a picture no other call of this JVM drew, for tests that
 * must not meet an image stored before;</li>
 * <li>{@code TestImages.series("batch-7", 20)}: distinct named PNGs, the same for the same name;</li>
 * <li>{@code TestImages.noisyJpegs(300, 200_000, 1)}: JPEGs of about a wanted size, for measurements.</li>
 * </ul>
 */
public final class TestImages {

	/** A file as a client uploads it. */
	public record Named(String name, byte[] bytes) {
	}

	private static final AtomicLong drawings = new AtomicLong(System.nanoTime());

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

	/** Pictures of random rectangles, different from those of every other {@code unique()} call. */
	public static Drawing unique() {
		return new Drawing(drawings.incrementAndGet());
	}

	/** {@code count} distinct 64×64 PNGs named {@code <prefix>-<n>.png}; the same prefix gives the same images. */
	public static List<Named> series(String prefix, int count) {
		List<Named> images = new ArrayList<>(count);
		for (int n = 0; n < count; n++) {
			images.add(new Named(prefix + "-" + n + ".png", numbered(prefix, n)));
		}
		return images;
	}

	/** Image {@code n} of {@link #series}: a 64×64 gradient whose first pixels carry the series and number. */
	public static byte[] numbered(String series, int n) {
		int seed = series.hashCode();
		BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < 64; y++) {
			for (int x = 0; x < 64; x++) {
				image.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | ((x + y) & 0xFF));
			}
		}
		// PNG is lossless: these four pixels keep the images of different series or numbers apart
		image.setRGB(0, 0, seed & 0xFFFFFF);
		image.setRGB(1, 0, seed >>> 24);
		image.setRGB(2, 0, n & 0xFFFFFF);
		image.setRGB(3, 0, n >>> 24);
		return write("png", image);
	}

	/**
	 * {@code count} distinct noisy JPEGs of at most about {@code targetBytes} each (noise keeps them
	 * near the size), the same for the same seed.
	 */
	public static List<byte[]> noisyJpegs(int count, int targetBytes, long seed) {
		// noise at quality 0.85 costs ~1.2 bytes per pixel; one probe fixes the ratio for this JDK
		byte[] probe = noisyJpeg(256, 256, new SplittableRandom(seed));
		double bytesPerPixel = probe.length / (256.0 * 256.0);
		int pixels = (int) (targetBytes / bytesPerPixel);
		int width = (int) Math.sqrt(pixels * 4.0 / 3.0);
		int height = pixels / width;
		// the ratio grows with the size: shrink until the largest image is within the target
		for (int attempt = 0;; attempt++) {
			List<byte[]> images = new ArrayList<>(count);
			SplittableRandom random = new SplittableRandom(seed);
			int largest = 0;
			for (int i = 0; i < count; i++) {
				images.add(noisyJpeg(width, height, random.split()));
				largest = Math.max(largest, images.get(i).length);
			}
			if (largest <= targetBytes * 1.05 || attempt == 4) {
				return images;
			}
			double scale = Math.sqrt(targetBytes / (double) largest);
			width = (int) (width * scale);
			height = (int) (height * scale);
		}
	}

	/** {@code jpeg} with a comment (COM segment after SOI) naming {@code variant}: the same picture, other bytes. */
	public static byte[] variant(byte[] jpeg, String variant) {
		byte[] text = ("intake-test " + variant).getBytes(StandardCharsets.US_ASCII);
		int length = text.length + 2;
		byte[] out = new byte[jpeg.length + 2 + length];
		out[0] = jpeg[0];
		out[1] = jpeg[1];
		out[2] = (byte) 0xFF;
		out[3] = (byte) 0xFE;
		out[4] = (byte) (length >> 8);
		out[5] = (byte) length;
		System.arraycopy(text, 0, out, 6, text.length);
		System.arraycopy(jpeg, 2, out, 6 + text.length, jpeg.length - 2);
		return out;
	}

	/** {@link #variant} of each image. */
	public static List<byte[]> variants(List<byte[]> jpegs, String variant) {
		return jpegs.stream().map(jpeg -> variant(jpeg, variant)).toList();
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

	private static byte[] noisyJpeg(int width, int height, SplittableRandom random) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		int base = random.nextInt(0xFFFFFF);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				int noise = random.nextInt(0x1000000) & 0x3F3F3F;
				image.setRGB(x, y, (base + (x << 8) + y + noise) & 0xFFFFFF);
			}
		}
		ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
		try (ByteArrayOutputStream out = new ByteArrayOutputStream();
				MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
			ImageWriteParam param = writer.getDefaultWriteParam();
			param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
			param.setCompressionQuality(0.85f);
			writer.setOutput(stream);
			writer.write(null, new IIOImage(image, null, null), param);
			stream.flush();
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			writer.dispose();
		}
	}

	/** Pictures of twelve rectangles placed and coloured from one seed. */
	public static final class Drawing {

		private final long seed;

		private Drawing(long seed) {
			this.seed = seed;
		}

		public byte[] png(int width, int height) {
			return write("png", draw(width, height, BufferedImage.TYPE_INT_ARGB));
		}

		public byte[] jpeg(int width, int height) {
			return write("jpeg", draw(width, height, BufferedImage.TYPE_INT_RGB));
		}

		public byte[] gif(int width, int height) {
			return write("gif", draw(width, height, BufferedImage.TYPE_INT_RGB));
		}

		private BufferedImage draw(int width, int height, int type) {
			SplittableRandom random = new SplittableRandom(seed);
			BufferedImage image = new BufferedImage(width, height, type);
			Graphics2D g = image.createGraphics();
			for (int i = 0; i < 12; i++) {
				g.setColor(new Color(random.nextInt(0xFFFFFF)));
				g.fillRect(random.nextInt(width), random.nextInt(height), 1 + random.nextInt(width),
						1 + random.nextInt(height));
			}
			g.dispose();
			return image;
		}

	}

}
