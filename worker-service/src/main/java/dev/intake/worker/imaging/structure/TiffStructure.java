package dev.intake.worker.imaging.structure;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import dev.intake.worker.imaging.DecodePool;
import dev.intake.worker.imaging.UnreadableImageException;

/**
 * Counts a TIFF's image directories (pages) by following the chain of IFD offsets, refusing a
 * chain that loops or leaves the file, and stopping one past the cap. ImageIO's
 * {@code getNumImages(true)} never returns on a self-referencing chain, so it is never called.
 */
public final class TiffStructure {

	private TiffStructure() {
	}

	public static int countDirectories(Path file, int maxDirectories) throws UnreadableImageException {
		try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r"); FileChannel channel = raf.getChannel()) {
			long length = channel.size();
			ByteBuffer head = read(channel, 0, 16, length);
			head.order((head.get(0) == 'I') ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
			boolean big = head.getShort(2) == 43;
			long offset = big ? head.getLong(8) : Integer.toUnsignedLong(head.getInt(4));
			Set<Long> visited = new HashSet<>();
			int count = 0;
			while (offset != 0) {
				DecodePool.checkCancelled();
				if (!visited.add(offset)) {
					throw new UnreadableImageException("TIFF directory chain loops at offset " + offset);
				}
				if (++count > maxDirectories) {
					return count;
				}
				ByteBuffer entries = read(channel, offset, big ? 8 : 2, length).order(head.order());
				long n = big ? entries.getLong(0) : Short.toUnsignedLong(entries.getShort(0));
				long next = offset + (big ? 8 : 2) + n * (big ? 20 : 12);
				if (n < 0 || n > 65535 || next < offset) {
					throw new UnreadableImageException("TIFF directory with " + n + " entries");
				}
				ByteBuffer link = read(channel, next, big ? 8 : 4, length).order(head.order());
				offset = big ? link.getLong(0) : Integer.toUnsignedLong(link.getInt(0));
			}
			if (count == 0) {
				throw new UnreadableImageException("TIFF without an image directory");
			}
			return count;
		}
		catch (IOException ex) {
			throw new UnreadableImageException("cannot walk the TIFF directories: " + ex, ex);
		}
	}

	private static ByteBuffer read(FileChannel channel, long offset, int size, long length)
			throws IOException, UnreadableImageException {
		if (offset < 0 || offset + size > length) {
			throw new UnreadableImageException("TIFF offset " + offset + " outside the file");
		}
		ByteBuffer buffer = ByteBuffer.allocate(size);
		while (buffer.hasRemaining()) {
			if (channel.read(buffer, offset + buffer.position()) < 0) {
				throw new UnreadableImageException("TIFF cut short");
			}
		}
		return buffer;
	}

}
