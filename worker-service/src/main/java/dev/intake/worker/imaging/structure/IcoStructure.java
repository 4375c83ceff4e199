package dev.intake.worker.imaging.structure;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import dev.intake.worker.imaging.DecodePool;
import dev.intake.worker.imaging.Dimensions;
import dev.intake.worker.imaging.ImageHeader;
import dev.intake.worker.imaging.UnreadableImageException;

/**
 * The real sizes of the images inside an icon, read from each embedded PNG's IHDR or BMP info
 * header. The directory's own one-byte sizes can lie (16x16 over a 100000x100000 PNG), and
 * ImageIO reports the directory's.
 */
public final class IcoStructure {

	private static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

	private IcoStructure() {
	}

	public static ImageHeader read(Path file) throws UnreadableImageException {
		try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r"); FileChannel channel = raf.getChannel()) {
			long length = channel.size();
			int count = Short.toUnsignedInt(read(channel, 4, 2, length).getShort(0));
			if (count == 0) {
				throw new UnreadableImageException("icon without images");
			}
			Dimensions largest = null;
			int largestIndex = 0;
			int maxWidth = 0;
			int maxHeight = 0;
			for (int i = 0; i < count; i++) {
				DecodePool.checkCancelled();
				ByteBuffer entry = read(channel, 6 + 16L * i, 16, length);
				long size = Integer.toUnsignedLong(entry.getInt(8));
				long offset = Integer.toUnsignedLong(entry.getInt(12));
				if (size < 16 || offset + size > length) {
					throw new UnreadableImageException("icon image " + i + " outside the file");
				}
				Dimensions real = embedded(read(channel, offset, (int) Math.min(size, 26), length));
				maxWidth = Math.max(maxWidth, real.width());
				maxHeight = Math.max(maxHeight, real.height());
				if (largest == null || real.pixels() > largest.pixels()) {
					largest = real;
					largestIndex = i;
				}
			}
			return new ImageHeader(largest, new Dimensions(maxWidth, maxHeight), 1, largestIndex,
					new ImageHeader.Region(0, 0, largest.width(), largest.height()));
		}
		catch (IOException ex) {
			throw new UnreadableImageException("cannot read the icon directory: " + ex, ex);
		}
	}

	private static Dimensions embedded(ByteBuffer head) throws UnreadableImageException {
		boolean png = head.limit() >= 24;
		for (int i = 0; png && i < PNG.length; i++) {
			png = head.get(i) == PNG[i];
		}
		if (png) {
			head.order(ByteOrder.BIG_ENDIAN);
			return positive(Integer.toUnsignedLong(head.getInt(16)), Integer.toUnsignedLong(head.getInt(20)));
		}
		// BMP info header; its height covers the colour and the mask bitmaps
		long width = head.getInt(4);
		long height = Math.abs((long) head.getInt(8)) / 2;
		return positive(width, height);
	}

	private static Dimensions positive(long width, long height) throws UnreadableImageException {
		if (width <= 0 || height <= 0) {
			throw new UnreadableImageException("icon image of non-positive size");
		}
		// a size beyond int saturates, and the pixel limit then refuses it
		return new Dimensions((int) Math.min(width, Integer.MAX_VALUE), (int) Math.min(height, Integer.MAX_VALUE));
	}

	private static ByteBuffer read(FileChannel channel, long offset, int size, long length)
			throws IOException, UnreadableImageException {
		if (offset + size > length) {
			throw new UnreadableImageException("icon cut short");
		}
		ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
		while (buffer.hasRemaining()) {
			if (channel.read(buffer, offset + buffer.position()) < 0) {
				throw new UnreadableImageException("icon cut short");
			}
		}
		return buffer;
	}

}
