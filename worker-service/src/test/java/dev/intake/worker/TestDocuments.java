package dev.intake.worker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import dev.intake.testsupport.TestImages;

/** Small, structurally real documents of each accepted kind, built in memory for tests. */
public final class TestDocuments {

	private TestDocuments() {
	}

	public static byte[] pdf() {
		return TestImages.pdf();
	}

	/** A minimal Office Open XML word-processing package. */
	public static byte[] docx() {
		return zip("[Content_Types].xml", contentTypes("word/document.xml",
				"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"), "_rels/.rels",
				"<Relationships/>", "word/document.xml",
				"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body/></w:document>");
	}

	/** A minimal Office Open XML spreadsheet package. */
	public static byte[] xlsx() {
		return zip("[Content_Types].xml", contentTypes("xl/workbook.xml",
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"), "_rels/.rels",
				"<Relationships/>", "xl/workbook.xml",
				"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheets/></workbook>",
				"xl/worksheets/sheet1.xml", "<worksheet/>");
	}

	/** An OLE2 compound file header (as .doc and .xls files start) followed by empty sectors. */
	public static byte[] ole2() {
		byte[] bytes = new byte[1536];
		byte[] signature = { (byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1 };
		System.arraycopy(signature, 0, bytes, 0, signature.length);
		bytes[0x1A] = 0x3E; // minor version
		bytes[0x1C] = (byte) 0xFE; // byte order mark FFFE
		bytes[0x1D] = (byte) 0xFF;
		bytes[0x1E] = 9; // 512-byte sectors
		Arrays.fill(bytes, 512, bytes.length, (byte) 0xFF);
		return bytes;
	}

	/** An MP4 file: an {@code ftyp} box of the given major brand, then an empty {@code mdat}. */
	public static byte[] mp4(String brand) {
		ByteBuffer box = ByteBuffer.allocate(24 + 8 + 16);
		box.putInt(24).put(ascii("ftyp")).put(ascii(brand)).putInt(0x200).put(ascii("isom")).put(ascii("mp41"));
		box.putInt(8 + 16).put(ascii("mdat")).put(new byte[16]);
		return box.array();
	}

	public static byte[] mp4() {
		return mp4("isom");
	}

	public static byte[] text(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** A Windows executable's first bytes: {@code MZ}, a DOS stub and a PE header offset. */
	public static byte[] exe() {
		byte[] bytes = new byte[256];
		bytes[0] = 'M';
		bytes[1] = 'Z';
		bytes[0x3C] = (byte) 0x80;
		System.arraycopy(ascii("This program cannot be run in DOS mode."), 0, bytes, 0x4E, 39);
		System.arraycopy(ascii("PE\0\0"), 0, bytes, 0x80, 4);
		return bytes;
	}

	/** A ZIP archive of the given name/content pairs (stored as UTF-8 text). */
	public static byte[] zip(String... namesAndContents) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(out)) {
			for (int i = 0; i < namesAndContents.length; i += 2) {
				zip.putNextEntry(new ZipEntry(namesAndContents[i]));
				zip.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
				zip.closeEntry();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	private static String contentTypes(String part, String type) {
		return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
				+ "<Override PartName=\"/" + part + "\" ContentType=\"" + type + "\"/></Types>";
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
