package dev.intake.testsupport;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import javax.imageio.ImageIO;

/**
 * The images of the worker's memory proof (the bench module's {@code MemoryProofRun}): large noise
 * images just under the 10 MB limit, and decompression bombs of every format the worker reads.
 */
public final class MemoryProofImages {

	/** Biggest an image of the large batch may be, leaving room for {@link #distinct}. */
	private static final int LARGE = 10 * 1024 * 1024 - 64;

	public record Named(String name, byte[] bytes) {
	}

	private MemoryProofImages() {
	}

	/** Noise PNG, JPEG, BMP and TIFF of 9.5–10 MB each (noise does not compress). */
	public static List<byte[]> large() {
		return List.of(fit("png", 1840, BufferedImage.TYPE_INT_RGB), fit("jpeg", 3000, BufferedImage.TYPE_INT_RGB),
				fit("bmp", 1840, BufferedImage.TYPE_3BYTE_BGR), fit("tiff", 1840, BufferedImage.TYPE_INT_RGB));
	}

	/** The image with its index appended after its end, so no two items share their bytes. */
	public static byte[] distinct(byte[] image, int index) {
		return HostileImages.concat(image, ByteBuffer.allocate(8).putLong(index).array());
	}

	/** Every bomb: headers that lie, complete images just under the pixel limit, frame and canvas floods. */
	public static List<Named> bombs() {
		List<Named> bombs = new ArrayList<>();
		bombs.add(new Named("png-header-100000x100000", TestImages.pngClaiming(100_000, 100_000)));
		bombs.add(new Named("png-complete-16384x16384", write("png", grey(16384, 16384))));
		bombs.add(new Named("png-complete-7000x7000", write("png", grey(7000, 7000))));
		bombs.add(new Named("png-ztxt-64MiB", pngWithZtxt(64 * 1024 * 1024)));
		bombs.add(new Named("jpeg-sof-65500x65500", HostileImages.jpegClaiming(65500, 65500)));
		bombs.add(new Named("jpeg-complete-7000x7000", write("jpeg", grey(7000, 7000))));
		bombs.add(new Named("gif-screen-65535x65535", HostileImages.gifScreen(65535, 65535)));
		bombs.add(new Named("gif-20000-frames", HostileImages.gifFrames(20_000, 1, 1)));
		bombs.add(new Named("gif-frame-65535x65535", HostileImages.gifFrames(1, 65535, 65535)));
		bombs.add(new Named("gif-frame-7000x7000-on-1x1-screen", HostileImages.gifFrames(1, 7000, 7000)));
		bombs.add(new Named("bmp-131168x4096", HostileImages.bmpClaiming(131_168, 4096)));
		bombs.add(new Named("bmp-1073741825x1", HostileImages.bmpClaiming(1_073_741_825, 1)));
		bombs.add(new Named("bmp-7000x7000-truncated", HostileImages.bmpClaiming(7000, 7000)));
		bombs.add(new Named("tiff-4294967295x1", HostileImages.tiff(4_294_967_295L, 1, 1, -1)));
		bombs.add(new Named("tiff-7000x7000-truncated", HostileImages.tiff(7000, 7000, 1, -1)));
		bombs.add(new Named("tiff-ifd-loop", HostileImages.tiff(1, 1, 2, 0)));
		bombs.add(new Named("webp-vp8x-16777216x16777216", HostileImages.webpCanvas(16_777_216, 16_777_216)));
		bombs.add(new Named("webp-vp8l-7000x7000-no-data", TestImages.webpHeader(7000, 7000)));
		bombs.add(new Named("webp-complete-4096x4096", write("webp", grey(4096, 4096))));
		bombs.add(new Named("webp-complete-7000x7000", write("webp", grey(7000, 7000))));
		bombs.add(new Named("ico-dir-16-png-100000x100000",
				HostileImages.icoWith(16, TestImages.pngClaiming(100_000, 100_000))));
		bombs.add(new Named("ico-65535-entries", HostileImages.icoClaimingEntries(65535)));
		bombs.add(new Named("svg-huge-size", TestImages.svg("width=\"100000000\" height=\"100000000\"")));
		return bombs;
	}

	private static byte[] fit(String format, int side, int type) {
		int width = side;
		int height = side;
		for (int attempt = 0; attempt < 6; attempt++) {
			byte[] bytes = write(format, noise(width, height, type));
			if (bytes.length <= LARGE && bytes.length > LARGE * 0.93) {
				return bytes;
			}
			double scale = Math.sqrt(LARGE * 0.97 / bytes.length);
			width = (int) (width * scale);
			height = (int) (height * scale);
		}
		throw new IllegalStateException("cannot fit a " + format + " noise image to 10 MB");
	}

	private static BufferedImage noise(int width, int height, int type) {
		BufferedImage image = new BufferedImage(width, height, type);
		Random random = new Random(width);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				image.setRGB(x, y, random.nextInt());
			}
		}
		return image;
	}

	private static BufferedImage grey(int width, int height) {
		return new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
	}

	/** A 1x1 PNG carrying a zTXt chunk that inflates to {@code inflated} bytes. */
	private static byte[] pngWithZtxt(int inflated) {
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
		deflater.setInput(new byte[inflated]);
		deflater.finish();
		ByteArrayOutputStream compressed = new ByteArrayOutputStream();
		byte[] buffer = new byte[64 * 1024];
		while (!deflater.finished()) {
			compressed.write(buffer, 0, deflater.deflate(buffer));
		}
		deflater.end();
		ByteArrayOutputStream data = new ByteArrayOutputStream();
		data.writeBytes(TestImages.ascii("Comment"));
		data.write(0);
		data.write(0);
		data.writeBytes(compressed.toByteArray());
		byte[] png = TestImages.png(1, 1);
		byte[] chunk = chunk("zTXt", data.toByteArray());
		// after the signature and IHDR (8 + 25 bytes)
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(png, 0, 33);
		out.writeBytes(chunk);
		out.write(png, 33, png.length - 33);
		return out.toByteArray();
	}

	private static byte[] chunk(String type, byte[] data) {
		ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
		chunk.putInt(data.length).put(TestImages.ascii(type)).put(data);
		CRC32 crc = new CRC32();
		crc.update(chunk.array(), 4, 4 + data.length);
		chunk.putInt((int) crc.getValue());
		return chunk.array();
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
