package dev.intake.api.submission.zip;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The central directory at the end of a streamed ZIP archive, recovered from the last bytes that
 * passed through ({@link Tail}, a ring buffer), and read after every entry was seen through its
 * local header. It tells what local headers cannot: which entries are symbolic links (unix mode in
 * the external attributes), and whether the directory lists the same entries as the local headers
 * (a mismatch means the archive reads differently in other tools).
 */
final class CentralDirectory {

	private static final int EOCD = 0x06054b50;

	private static final int CFH = 0x02014b50;

	private static final int EOCD_SIZE = 22;

	private static final int UNIX = 3;

	private static final int S_IFMT = 0xF000;

	private static final int S_IFLNK = 0xA000;

	private CentralDirectory() {
	}

	/**
	 * The entries the central directory lists, or null when it cannot be found in the tail (not
	 * there, or larger than the tail).
	 */
	static List<Entry> read(byte[] tail) {
		int eocd = -1;
		for (int i = tail.length - EOCD_SIZE; i >= Math.max(0, tail.length - EOCD_SIZE - 0xFFFF); i--) {
			if (u32(tail, i) == EOCD) {
				eocd = i;
				break;
			}
		}
		if (eocd < 0) {
			return null;
		}
		long size = u32(tail, eocd + 12);
		long start = eocd - size;
		if (size == 0xFFFFFFFFL || start < 0) {
			return null;
		}
		List<Entry> entries = new ArrayList<>();
		int at = (int) start;
		while (at + 46 <= eocd && u32(tail, at) == CFH) {
			int madeBy = u16(tail, at + 4) >> 8;
			int nameLength = u16(tail, at + 28);
			int extraLength = u16(tail, at + 30);
			int commentLength = u16(tail, at + 32);
			long external = u32(tail, at + 38);
			if (at + 46 + nameLength > eocd) {
				return null;
			}
			String name = new String(tail, at + 46, nameLength, StandardCharsets.UTF_8).replace('\\', '/');
			boolean symlink = madeBy == UNIX && ((external >>> 16) & S_IFMT) == S_IFLNK;
			entries.add(new Entry(name, symlink));
			at += 46 + nameLength + extraLength + commentLength;
		}
		return (at == eocd) ? entries : null;
	}

	private static long u32(byte[] bytes, int at) {
		return (u16(bytes, at) | ((long) u16(bytes, at + 2) << 16)) & 0xFFFFFFFFL;
	}

	private static int u16(byte[] bytes, int at) {
		return (bytes[at] & 0xff) | ((bytes[at + 1] & 0xff) << 8);
	}

	/** One central directory entry: its name ('\' read as '/') and whether it is a symbolic link. */
	record Entry(String name, boolean symlink) {
	}

	/** Passes a stream through, remembering its last {@code capacity} bytes. */
	static final class Tail extends FilterInputStream {

		private final byte[] ring;

		private long total;

		Tail(InputStream in, int capacity) {
			super(in);
			this.ring = new byte[capacity];
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] bytes, int offset, int length) throws IOException {
			int read = super.read(bytes, offset, length);
			for (int i = 0; i < read; i++) {
				ring[(int) ((total + i) % ring.length)] = bytes[offset + i];
			}
			total += Math.max(read, 0);
			return read;
		}

		@Override
		public long skip(long n) throws IOException {
			byte[] skipped = new byte[(int) Math.min(n, 8192)];
			int read = read(skipped, 0, skipped.length);
			return Math.max(read, 0);
		}

		/** The last bytes read, in order (all of them when fewer than the capacity). */
		byte[] last() {
			int length = (int) Math.min(total, ring.length);
			byte[] out = new byte[length];
			for (int i = 0; i < length; i++) {
				out[i] = ring[(int) ((total - length + i) % ring.length)];
			}
			return out;
		}

	}

}
