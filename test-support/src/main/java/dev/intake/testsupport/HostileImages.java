package dev.intake.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Hostile and malformed image bytes, made by the test suite itself (no binary fixtures). */
public final class HostileImages {

	private HostileImages() {
	}

	/** A real JPEG whose SOF header states another size. */
	public static byte[] jpegClaiming(int width, int height) {
		byte[] jpeg = TestImages.jpeg(8, 8);
		for (int i = 2; i + 9 < jpeg.length; i++) {
			if ((jpeg[i] & 0xFF) == 0xFF && ((jpeg[i + 1] & 0xFF) == 0xC0 || (jpeg[i + 1] & 0xFF) == 0xC2)) {
				ByteBuffer sof = ByteBuffer.wrap(jpeg);
				sof.putShort(i + 5, (short) height).putShort(i + 7, (short) width);
				return jpeg;
			}
		}
		throw new IllegalStateException("no SOF marker");
	}

	/** A real GIF whose logical screen states another size (its one frame stays small). */
	public static byte[] gifScreen(int width, int height) {
		byte[] gif = TestImages.gif(1, 1);
		ByteBuffer.wrap(gif).order(ByteOrder.LITTLE_ENDIAN).putShort(6, (short) width).putShort(8, (short) height);
		return gif;
	}

	/**
	 * A GIF of {@code frames} frames of {@code frameWidth} x {@code frameHeight} on a 1x1 screen,
	 * each frame one pixel of LZW data.
	 */
	public static byte[] gifFrames(int frames, int frameWidth, int frameHeight) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(TestImages.ascii("GIF89a"));
		out.writeBytes(new byte[] { 1, 0, 1, 0, (byte) 0x80, 0, 0 });
		out.writeBytes(new byte[] { 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF });
		for (int i = 0; i < frames; i++) {
			out.write(0x2C);
			out.writeBytes(new byte[] { 0, 0, 0, 0, (byte) frameWidth, (byte) (frameWidth >> 8), (byte) frameHeight,
					(byte) (frameHeight >> 8), 0 });
			out.writeBytes(new byte[] { 2, 2, 0x44, 0x01, 0 });
		}
		out.write(0x3B);
		return out.toByteArray();
	}

	/** A BMP whose info header states another size. */
	public static byte[] bmpClaiming(int width, int height) {
		byte[] bmp = TestImages.bmp(4, 4);
		ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(18, width).putInt(22, height);
		return bmp;
	}

	/** A WebP with a VP8X header stating a canvas of the given size (each up to 2^24). */
	public static byte[] webpCanvas(int width, int height) {
		ByteBuffer webp = ByteBuffer.allocate(12 + 8 + 10).order(ByteOrder.LITTLE_ENDIAN);
		webp.put(TestImages.ascii("RIFF")).putInt(webp.capacity() - 8).put(TestImages.ascii("WEBP"));
		webp.put(TestImages.ascii("VP8X")).putInt(10).putInt(0);
		put24(webp, width - 1);
		put24(webp, height - 1);
		return webp.array();
	}

	private static void put24(ByteBuffer buffer, int value) {
		buffer.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
	}

	/** An icon whose directory says {@code dirSize} but which embeds {@code embedded} (PNG or BMP). */
	public static byte[] icoWith(int dirSize, byte[] embedded) {
		ByteBuffer ico = ByteBuffer.allocate(6 + 16 + embedded.length).order(ByteOrder.LITTLE_ENDIAN);
		ico.putShort((short) 0).putShort((short) 1).putShort((short) 1);
		ico.put((byte) dirSize).put((byte) dirSize).put((byte) 0).put((byte) 0);
		ico.putShort((short) 1).putShort((short) 32).putInt(embedded.length).putInt(22);
		ico.put(embedded);
		return ico.array();
	}

	/** An icon header claiming {@code count} images in 22 bytes. */
	public static byte[] icoClaimingEntries(int count) {
		ByteBuffer ico = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
		ico.putShort((short) 0).putShort((short) 1).putShort((short) count);
		ico.put((byte) 16).put((byte) 16).put((byte) 0).put((byte) 0);
		return ico.array();
	}

	/**
	 * A little-endian grey 1x1-strip TIFF of {@code pages} directories, each pointing to the
	 * next; {@code loopTo} (a page index, or -1) makes the last one point back instead.
	 */
	public static byte[] tiff(long width, long height, int pages, int loopTo) {
		int entries = 8;
		int ifdSize = 2 + entries * 12 + 4;
		int dataOffset = 8 + pages * ifdSize;
		ByteBuffer tiff = ByteBuffer.allocate(dataOffset + 16).order(ByteOrder.LITTLE_ENDIAN);
		tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
		for (int p = 0; p < pages; p++) {
			tiff.putShort((short) entries);
			entry(tiff, 256, 4, width);
			entry(tiff, 257, 4, height);
			entry(tiff, 258, 3, 8);
			entry(tiff, 259, 3, 1);
			entry(tiff, 262, 3, 1);
			entry(tiff, 273, 4, dataOffset);
			entry(tiff, 278, 4, height);
			entry(tiff, 279, 4, 16);
			int next = (p + 1 < pages) ? 8 + (p + 1) * ifdSize : ((loopTo >= 0) ? 8 + loopTo * ifdSize : 0);
			tiff.putInt(next);
		}
		return tiff.array();
	}

	private static void entry(ByteBuffer tiff, int tag, int type, long value) {
		tiff.putShort((short) tag).putShort((short) type).putInt(1);
		if (type == 3) {
			tiff.putShort((short) value).putShort((short) 0);
		}
		else {
			tiff.putInt((int) value);
		}
	}

	/** A JPEG of {@code image} carrying an EXIF APP1 with the given orientation and a GPS IFD. */
	public static byte[] jpegWithOrientation(java.awt.image.BufferedImage image, int orientation) {
		ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
		try {
			javax.imageio.ImageIO.write(image, "jpeg", jpeg);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		byte[] plain = jpeg.toByteArray();
		// TIFF header, IFD0 with Orientation and a GPS IFD pointer, GPS IFD with a latitude ref
		ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 2 * 12 + 4 + 2 + 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
		tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
		tiff.putShort((short) 2);
		tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
		tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(8 + 2 + 24 + 4);
		tiff.putInt(0);
		tiff.putShort((short) 1);
		tiff.putShort((short) 1).putShort((short) 2).putInt(2).put((byte) 'N').put((byte) 0).putShort((short) 0);
		tiff.putInt(0);
		byte[] exif = concat(TestImages.ascii("Exif\0\0"), tiff.array());
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(0xFF);
		out.write(0xD8);
		out.write(0xFF);
		out.write(0xE1);
		out.write((exif.length + 2) >> 8);
		out.write((exif.length + 2) & 0xFF);
		out.writeBytes(exif);
		out.write(plain, 2, plain.length - 2);
		return out.toByteArray();
	}

	public static byte[] concat(byte[] a, byte[] b) {
		byte[] both = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, both, a.length, b.length);
		return both;
	}

}
