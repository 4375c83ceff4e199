package dev.intake.worker.documents;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import dev.intake.contracts.DocumentFormat;

/**
 * Decides whether a file is one of the {@link DocumentFormat}s, from its bytes as images are:
 * <ul>
 * <li>PDF: starts with {@code %PDF-};</li>
 * <li>DOCX / XLSX: a ZIP archive whose central directory lists {@code [Content_Types].xml} and
 * entries under {@code word/} (DOCX) or {@code xl/} (XLSX); only the directory is read, no entry
 * is inflated, and at most {@link #MAX_ZIP_ENTRIES} names are looked at;</li>
 * <li>DOC / XLS: the OLE2 compound file signature {@code D0 CF 11 E0 A1 B1 1A E1}; as both share
 * it, the declared extension tells them apart, and any other extension refuses the file;</li>
 * <li>MP4: an {@code ftyp} box at offset 4 whose major brand is an MP4 video brand (not QuickTime,
 * HEIF or audio-only);</li>
 * <li>TXT / CSV: the whole file is valid UTF-8 with no control characters but tab, CR and LF
 * (no NUL, no DEL, no C1 controls), not empty and not markup (it does not start with a tag);
 * CSV when the declared extension is {@code csv}, else TXT.</li>
 * </ul>
 * The declared name is a hint only where the bytes cannot decide. Cost is bounded by the file:
 * a fixed-size head, the ZIP directory, or one streaming pass for text.
 */
public final class DocumentSniffer {

	/** Most central directory entries looked at before a ZIP is refused as no document. */
	public static final int MAX_ZIP_ENTRIES = 10_000;

	private static final int HEAD_SIZE = 64;

	private static final byte[] OLE2 = { (byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A,
			(byte) 0xE1 };

	private static final Set<String> MP4_BRANDS = Set.of("isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41",
			"mp42", "mp71", "avc1", "M4V ", "M4VH", "M4VP", "dash", "MSNV", "f4v ");

	private DocumentSniffer() {
	}

	/**
	 * The document format of a file, when it is one of {@code allowed}; empty otherwise.
	 * @param extension the extension of the name the client gave, "" when none
	 * @throws IOException when the file cannot be read
	 */
	public static Optional<DocumentFormat> sniff(Path file, String extension, Set<DocumentFormat> allowed)
			throws IOException {
		String declared = (extension != null) ? extension.toLowerCase(Locale.ROOT) : "";
		byte[] head;
		try (InputStream in = Files.newInputStream(file)) {
			head = in.readNBytes(HEAD_SIZE);
		}
		if (head.length == 0) {
			return Optional.empty();
		}
		Optional<DocumentFormat> found;
		if (startsWith(head, 0, "%PDF-".getBytes(StandardCharsets.US_ASCII))) {
			found = Optional.of(DocumentFormat.PDF);
		}
		else if (startsWith(head, 0, OLE2)) {
			found = switch (declared) {
				case "doc" -> Optional.of(DocumentFormat.DOC);
				case "xls" -> Optional.of(DocumentFormat.XLS);
				default -> Optional.empty();
			};
		}
		else if (startsWith(head, 0, new byte[] { 'P', 'K', 3, 4 })) {
			found = (allowed.contains(DocumentFormat.DOCX) || allowed.contains(DocumentFormat.XLSX))
					? officeOpenXml(file, declared) : Optional.empty();
		}
		else if (isMp4(head)) {
			found = Optional.of(DocumentFormat.MP4);
		}
		else {
			DocumentFormat text = "csv".equals(declared) ? DocumentFormat.CSV : DocumentFormat.TXT;
			found = (allowed.contains(text) && isPlainText(file)) ? Optional.of(text) : Optional.empty();
		}
		return found.filter(allowed::contains);
	}

	/** DOCX or XLSX from the archive's directory; a ZIP that is both is decided by the extension. */
	private static Optional<DocumentFormat> officeOpenXml(Path file, String declared) throws IOException {
		boolean contentTypes = false;
		boolean word = false;
		boolean excel = false;
		try (ZipFile zip = new ZipFile(file.toFile(), StandardCharsets.UTF_8)) {
			if (zip.size() > MAX_ZIP_ENTRIES) {
				return Optional.empty();
			}
			Enumeration<? extends ZipEntry> entries = zip.entries();
			while (entries.hasMoreElements()) {
				String name = entries.nextElement().getName();
				contentTypes |= name.equals("[Content_Types].xml");
				word |= name.startsWith("word/");
				excel |= name.startsWith("xl/");
			}
		}
		catch (IOException | IllegalArgumentException ex) {
			// not a readable archive (a local file that ZipFile refuses, or names that are not UTF-8): no document
			return Optional.empty();
		}
		if (!contentTypes || (!word && !excel)) {
			return Optional.empty();
		}
		if (word && excel) {
			return switch (declared) {
				case "docx" -> Optional.of(DocumentFormat.DOCX);
				case "xlsx" -> Optional.of(DocumentFormat.XLSX);
				default -> Optional.empty();
			};
		}
		return Optional.of(word ? DocumentFormat.DOCX : DocumentFormat.XLSX);
	}

	private static boolean isMp4(byte[] head) {
		if (head.length < 16 || head[4] != 'f' || head[5] != 't' || head[6] != 'y' || head[7] != 'p') {
			return false;
		}
		long boxSize = ((head[0] & 0xFFL) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
		if (boxSize < 16 || (boxSize - 16) % 4 != 0) {
			return false;
		}
		return MP4_BRANDS.contains(new String(head, 8, 4, StandardCharsets.ISO_8859_1));
	}

	/**
	 * Valid UTF-8 throughout, not empty, without control characters other than tab, CR and LF, and
	 * not markup: text that starts (after a BOM and white space) with a tag, a declaration or an end
	 * tag ({@code <html}, {@code <!DOCTYPE}, {@code <?xml}) is no plain text, as the file service's own
	 * check says; {@code <134>} (a syslog line) is.
	 */
	static boolean isPlainText(Path file) throws IOException {
		var decoder = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT);
		char[] buffer = new char[8192];
		boolean any = false;
		// 0 before the first character that is not a BOM or white space, 1 after a '<' there, -1 after
		int markup = 0;
		try (Reader in = new InputStreamReader(Files.newInputStream(file), decoder)) {
			int n;
			while ((n = in.read(buffer)) >= 0) {
				for (int i = 0; i < n; i++) {
					char c = buffer[i];
					if (isControl(c)) {
						return false;
					}
					if (markup > 0) {
						// '<' then a letter, '!', '?' or '/': a tag, a declaration or an end tag
						if (Character.isLetter(c) || c == '!' || c == '?' || c == '/') {
							return false;
						}
						markup = -1;
					}
					else if (markup == 0 && c != '\uFEFF' && !Character.isWhitespace(c)) {
						markup = (c == '<') ? 1 : -1;
					}
				}
				any |= n > 0;
			}
		}
		catch (CharacterCodingException ex) {
			return false;
		}
		return any;
	}

	private static boolean isControl(char c) {
		return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F);
	}

	private static boolean startsWith(byte[] head, int offset, byte[] expected) {
		if (head.length < offset + expected.length) {
			return false;
		}
		for (int i = 0; i < expected.length; i++) {
			if (head[offset + i] != expected[i]) {
				return false;
			}
		}
		return true;
	}

}
