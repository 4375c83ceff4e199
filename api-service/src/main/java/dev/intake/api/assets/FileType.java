package dev.intake.api.assets;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import dev.intake.contracts.DocumentFormat;
import dev.intake.contracts.ImageFormat;

/**
 * The type of a file as its first bytes show it, among the image formats and documents Intake
 * accepts. The name's extension only tells apart formats whose bytes look alike (DOC and XLS,
 * DOCX and XLSX, TXT and CSV); it never makes bytes of another kind acceptable. An empty file
 * (a placeholder) takes the type its name says, or {@code application/octet-stream}.
 *
 * @param extension the extension of its stored object, empty when unknown
 */
public record FileType(String contentType, String extension, boolean image) {

	/** How many leading bytes {@link #sniff} looks at. */
	public static final int HEAD = 1024;

	public static final FileType UNKNOWN = new FileType("application/octet-stream", "", false);

	private static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };

	private static final byte[] OLE = { (byte) 0xd0, (byte) 0xcf, 0x11, (byte) 0xe0, (byte) 0xa1, (byte) 0xb1, 0x1a,
			(byte) 0xe1 };

	/** The type of an empty file called {@code name}. */
	public static FileType ofName(String name) {
		String extension = ImageFormat.extensionOf(name);
		return ImageFormat.forExtension(extension)
			.map(FileType::of)
			.or(() -> DocumentFormat.forExtension(extension).map(FileType::of))
			.orElse(UNKNOWN);
	}

	/** The accepted type that {@code head} (the first bytes, up to {@link #HEAD}) shows, if any. */
	public static Optional<FileType> sniff(byte[] head, String name) {
		String extension = ImageFormat.extensionOf(name).toLowerCase(Locale.ROOT);
		if (startsWith(head, 0, PNG)) {
			return image(ImageFormat.PNG);
		}
		if (head.length >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8 && (head[2] & 0xff) == 0xff) {
			return image(ImageFormat.JPEG);
		}
		if (startsWith(head, 0, ascii("GIF87a")) || startsWith(head, 0, ascii("GIF89a"))) {
			return image(ImageFormat.GIF);
		}
		if (startsWith(head, 0, ascii("RIFF")) && startsWith(head, 8, ascii("WEBP"))) {
			return image(ImageFormat.WEBP);
		}
		if (startsWith(head, 0, ascii("II*\0")) || startsWith(head, 0, ascii("MM\0*"))) {
			return image(ImageFormat.TIFF);
		}
		if (isBmp(head)) {
			return image(ImageFormat.BMP);
		}
		if (head.length >= 6 && head[0] == 0 && head[1] == 0 && head[2] == 1 && head[3] == 0
				&& (head[4] != 0 || head[5] != 0)) {
			return image(ImageFormat.ICO);
		}
		if (startsWith(head, 0, ascii("%PDF-"))) {
			return document(DocumentFormat.PDF);
		}
		if (startsWith(head, 0, OLE)) {
			return document("xls".equals(extension) ? DocumentFormat.XLS : DocumentFormat.DOC);
		}
		if (startsWith(head, 0, ascii("PK\3\4"))) {
			return switch (extension) {
				case "docx" -> document(DocumentFormat.DOCX);
				case "xlsx" -> document(DocumentFormat.XLSX);
				default -> Optional.empty();
			};
		}
		if (startsWith(head, 4, ascii("ftyp"))) {
			return document(DocumentFormat.MP4);
		}
		return text(head, extension);
	}

	private static Optional<FileType> text(byte[] head, String extension) {
		String text = utf8(head);
		if (text == null || text.indexOf('\0') >= 0) {
			return Optional.empty();
		}
		String start = text.stripLeading().toLowerCase(Locale.ROOT);
		if ((start.startsWith("<?xml") || start.startsWith("<svg") || start.startsWith("<!--"))
				&& start.contains("<svg")) {
			return image(ImageFormat.SVG);
		}
		if (start.startsWith("<")) {
			// markup (HTML, XML) is not accepted as plain text
			return Optional.empty();
		}
		return document("csv".equals(extension) ? DocumentFormat.CSV : DocumentFormat.TXT);
	}

	/** The head as UTF-8 (a BOM dropped; a character cut at the end of the head is allowed), null when it is not text. */
	private static String utf8(byte[] head) {
		int start = startsWith(head, 0, new byte[] { (byte) 0xef, (byte) 0xbb, (byte) 0xbf }) ? 3 : 0;
		for (int cut = 0; cut < 4 && cut <= head.length - start; cut++) {
			try {
				return StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT)
					.decode(ByteBuffer.wrap(head, start, head.length - start - cut))
					.toString();
			}
			catch (CharacterCodingException ex) {
				if (head.length < HEAD) {
					// the whole file: nothing was cut
					return null;
				}
			}
		}
		return null;
	}

	private static boolean isBmp(byte[] head) {
		if (head.length < 18 || head[0] != 'B' || head[1] != 'M') {
			return false;
		}
		int dibHeader = (head[14] & 0xff) | (head[15] & 0xff) << 8 | (head[16] & 0xff) << 16 | (head[17] & 0xff) << 24;
		return Arrays.asList(12, 40, 52, 56, 64, 108, 124).contains(dibHeader);
	}

	private static Optional<FileType> image(ImageFormat format) {
		return Optional.of(of(format));
	}

	private static Optional<FileType> document(DocumentFormat format) {
		return Optional.of(of(format));
	}

	private static FileType of(ImageFormat format) {
		return new FileType(format.contentType(), format.extension(), true);
	}

	private static FileType of(DocumentFormat format) {
		return new FileType(format.contentType(), format.extension(), false);
	}

	private static boolean startsWith(byte[] head, int offset, byte[] prefix) {
		return head.length >= offset + prefix.length
				&& Arrays.equals(head, offset, offset + prefix.length, prefix, 0, prefix.length);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

}
