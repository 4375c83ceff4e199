package dev.intake.worker.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Copies a stream in 64 KiB chunks while counting the bytes and computing md5 and sha256 in the
 * same pass, and stops as soon as the count passes a limit. Memory use is one buffer, whatever
 * the size of the stream.
 */
final class DigestingCopy {

	static final int BUFFER_SIZE = 64 * 1024;

	/** What was copied: all of it ({@code complete}), or only the first {@code size} bytes. */
	record Result(boolean complete, long size, String md5, String sha256) {
	}

	private DigestingCopy() {
	}

	/**
	 * Copies {@code in} to {@code out} unless it is longer than {@code maxBytes}; then copying
	 * stops after {@code maxBytes + 1} bytes and the result is not {@code complete}.
	 */
	static Result copy(InputStream in, OutputStream out, long maxBytes) throws IOException {
		MessageDigest md5 = digest("MD5");
		MessageDigest sha256 = digest("SHA-256");
		byte[] buffer = new byte[BUFFER_SIZE];
		long size = 0;
		for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
			size += n;
			if (size > maxBytes) {
				return new Result(false, size, null, null);
			}
			md5.update(buffer, 0, n);
			sha256.update(buffer, 0, n);
			out.write(buffer, 0, n);
		}
		HexFormat hex = HexFormat.of();
		return new Result(true, size, hex.formatHex(md5.digest()), hex.formatHex(sha256.digest()));
	}

	private static MessageDigest digest(String algorithm) {
		try {
			return MessageDigest.getInstance(algorithm);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(algorithm + " is required of every Java platform", ex);
		}
	}

}
