package dev.intake.worker.imaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import dev.intake.contracts.ImageFormat;
import dev.intake.worker.imaging.svg.SvgProlog;

/**
 * Decides an image's format from its first bytes. The one rule: the bytes decide; a file name,
 * extension or declared content type never overrides them. Reads at most {@link #HEAD_SIZE}
 * bytes, so the cost does not depend on the size of the file.
 */
public final class FormatSniffer {

	/** How many leading bytes are examined; enough for an SVG prolog of reasonable size. */
	public static final int HEAD_SIZE = 4096;

	private static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

	private FormatSniffer() {
	}

	/** The format of a file, or empty when its bytes are not one Intake accepts. */
	public static Optional<ImageFormat> sniff(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return sniff(in.readNBytes(HEAD_SIZE));
		}
	}

	/** The format of the given leading bytes of a file (all of them if it is short). */
	public static Optional<ImageFormat> sniff(byte[] head) {
		if (startsWith(head, 0, 0xFF, 0xD8, 0xFF)) {
			return Optional.of(ImageFormat.JPEG);
		}
		if (startsWith(head, 0, PNG)) {
			return Optional.of(ImageFormat.PNG);
		}
		if (startsWith(head, 0, ascii("GIF87a")) || startsWith(head, 0, ascii("GIF89a"))) {
			return Optional.of(ImageFormat.GIF);
		}
		if (startsWith(head, 0, ascii("RIFF")) && startsWith(head, 8, ascii("WEBP"))) {
			return Optional.of(ImageFormat.WEBP);
		}
		if (isTiff(head)) {
			return Optional.of(ImageFormat.TIFF);
		}
		if (isBmp(head)) {
			return Optional.of(ImageFormat.BMP);
		}
		if (isIco(head)) {
			return Optional.of(ImageFormat.ICO);
		}
		if (SvgProlog.startsWithSvgRoot(head)) {
			return Optional.of(ImageFormat.SVG);
		}
		return Optional.empty();
	}

	private static boolean isTiff(byte[] head) {
		// classic TIFF (42) and BigTIFF (43), in either byte order
		return startsWith(head, 0, 'I', 'I', 42, 0) || startsWith(head, 0, 'M', 'M', 0, 42)
				|| startsWith(head, 0, 'I', 'I', 43, 0) || startsWith(head, 0, 'M', 'M', 0, 43);
	}

	private static boolean isBmp(byte[] head) {
		// "BM" alone matches plain text too, so also require a known DIB header size at offset 14
		if (!startsWith(head, 0, 'B', 'M') || head.length < 18) {
			return false;
		}
		long dibSize = littleEndian(head, 14, 4);
		return dibSize == 12 || dibSize == 16 || dibSize == 40 || dibSize == 52 || dibSize == 56 || dibSize == 64
				|| dibSize == 108 || dibSize == 124;
	}

	private static boolean isIco(byte[] head) {
		// reserved 0, type 1 (icon; 2 would be a cursor), then a sane count of directory entries
		if (!startsWith(head, 0, 0, 0, 1, 0) || head.length < 6 + 16) {
			return false;
		}
		long count = littleEndian(head, 4, 2);
		int firstEntryReserved = head[6 + 3] & 0xFF;
		return count >= 1 && count <= 256 && firstEntryReserved == 0;
	}

	private static long littleEndian(byte[] bytes, int offset, int length) {
		long value = 0;
		for (int i = length - 1; i >= 0; i--) {
			value = (value << 8) | (bytes[offset + i] & 0xFF);
		}
		return value;
	}

	private static boolean startsWith(byte[] head, int offset, int... expected) {
		if (head.length < offset + expected.length) {
			return false;
		}
		for (int i = 0; i < expected.length; i++) {
			if ((head[offset + i] & 0xFF) != (expected[i] & 0xFF)) {
				return false;
			}
		}
		return true;
	}

	private static boolean startsWith(byte[] head, int offset, byte[] expected) {
		int[] values = new int[expected.length];
		for (int i = 0; i < expected.length; i++) {
			values[i] = expected[i] & 0xFF;
		}
		return startsWith(head, offset, values);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
