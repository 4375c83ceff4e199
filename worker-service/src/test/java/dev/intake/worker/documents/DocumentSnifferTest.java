package dev.intake.worker.documents;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import dev.intake.contracts.DocumentFormat;
import dev.intake.worker.TestDocuments;
import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentSnifferTest {

	private static final Set<DocumentFormat> ALL = EnumSet.allOf(DocumentFormat.class);

	@TempDir
	Path dir;

	@Test
	void recognisesEachFormatByItsBytes() throws Exception {
		assertThat(sniff(TestDocuments.pdf(), "pdf")).contains(DocumentFormat.PDF);
		assertThat(sniff(TestDocuments.docx(), "docx")).contains(DocumentFormat.DOCX);
		assertThat(sniff(TestDocuments.xlsx(), "xlsx")).contains(DocumentFormat.XLSX);
		assertThat(sniff(TestDocuments.ole2(), "doc")).contains(DocumentFormat.DOC);
		assertThat(sniff(TestDocuments.ole2(), "XLS")).contains(DocumentFormat.XLS);
		assertThat(sniff(TestDocuments.mp4(), "mp4")).contains(DocumentFormat.MP4);
		assertThat(sniff(TestDocuments.mp4("M4V "), "m4v")).contains(DocumentFormat.MP4);
		assertThat(sniff(TestDocuments.text("Grüße\tà tous\r\n"), "txt")).contains(DocumentFormat.TXT);
		assertThat(sniff(TestDocuments.text("a,b\n1,2\n"), "csv")).contains(DocumentFormat.CSV);
	}

	@Test
	void theBytesDecideWhateverTheExtensionWhereTheyCan() throws Exception {
		assertThat(sniff(TestDocuments.pdf(), "docx")).contains(DocumentFormat.PDF);
		assertThat(sniff(TestDocuments.docx(), "")).contains(DocumentFormat.DOCX);
		assertThat(sniff(TestDocuments.xlsx(), "zip")).contains(DocumentFormat.XLSX);
		assertThat(sniff(TestDocuments.mp4(), "mov")).contains(DocumentFormat.MP4);
		// text by its bytes; only csv is told apart by the name
		assertThat(sniff(TestDocuments.text("a,b\n"), "log")).contains(DocumentFormat.TXT);
	}

	@Test
	void ole2NeedsADocOrXlsExtension() throws Exception {
		assertThat(sniff(TestDocuments.ole2(), "ppt")).isEmpty();
		assertThat(sniff(TestDocuments.ole2(), "")).isEmpty();
		assertThat(sniff(TestDocuments.ole2(), "msi")).isEmpty();
	}

	@Test
	void aZipIsADocumentOnlyWithContentTypesAndItsPartFolder() throws Exception {
		assertThat(sniff(TestImages.zip(), "docx")).isEmpty();
		assertThat(sniff(TestDocuments.zip("word/document.xml", "<w/>"), "docx")).isEmpty();
		assertThat(sniff(TestDocuments.zip("[Content_Types].xml", "<Types/>", "ppt/presentation.xml", "<p/>"), "pptx"))
			.isEmpty();
		byte[] both = TestDocuments.zip("[Content_Types].xml", "<Types/>", "word/document.xml", "<w/>",
				"xl/workbook.xml", "<x/>");
		assertThat(sniff(both, "docx")).contains(DocumentFormat.DOCX);
		assertThat(sniff(both, "xlsx")).contains(DocumentFormat.XLSX);
		assertThat(sniff(both, "zip")).isEmpty();
		byte[] truncated = java.util.Arrays.copyOf(TestDocuments.docx(), 60);
		assertThat(sniff(truncated, "docx")).isEmpty();
	}

	@Test
	void aZipWithMoreEntriesThanTheBoundIsNoDocument() throws Exception {
		String[] entries = new String[2 * (DocumentSniffer.MAX_ZIP_ENTRIES + 1)];
		entries[0] = "[Content_Types].xml";
		entries[1] = "<Types/>";
		for (int i = 1; i <= DocumentSniffer.MAX_ZIP_ENTRIES; i++) {
			entries[2 * i] = "word/part" + i + ".xml";
			entries[2 * i + 1] = "";
		}
		assertThat(sniff(TestDocuments.zip(entries), "docx")).isEmpty();
	}

	@Test
	void onlyMp4VideoBrandsAreMp4() throws Exception {
		assertThat(sniff(TestDocuments.mp4("heic"), "mp4")).isEmpty();
		assertThat(sniff(TestDocuments.mp4("qt  "), "mp4")).isEmpty();
		assertThat(sniff(TestDocuments.mp4("M4A "), "mp4")).isEmpty();
		assertThat(sniff(TestDocuments.mp4("avif"), "mp4")).isEmpty();
	}

	@Test
	void textMustBeValidUtf8WithoutControlCharacters() throws Exception {
		assertThat(sniff(new byte[] { 'a', 0, 'b' }, "txt")).isEmpty();
		assertThat(sniff(new byte[] { 'a', (byte) 0xC3 }, "txt")).isEmpty();
		assertThat(sniff(new byte[] { 'a', (byte) 0xC0, (byte) 0x80 }, "txt")).isEmpty();
		assertThat(sniff(new byte[] { 'a', 0x1B, '[', 'm' }, "txt")).isEmpty();
		assertThat(sniff(new byte[] { 'a', 0x7F }, "csv")).isEmpty();
		assertThat(sniff(TestDocuments.text("a\u0085b"), "txt")).isEmpty();
		assertThat(sniff(new byte[0], "txt")).isEmpty();
		// the control character far past the head still counts: the whole file is read
		byte[] late = TestDocuments.text("x".repeat(100_000) + "\u0000");
		assertThat(sniff(late, "txt")).isEmpty();
		assertThat(sniff(TestDocuments.text("x".repeat(100_000)), "txt")).contains(DocumentFormat.TXT);
	}

	/** HTML or XML is no plain text, whatever its name says (the file service refuses it too). */
	@Test
	void markupIsNoText() throws Exception {
		assertThat(sniff(TestDocuments.text("<html><script>alert(1)</script></html>"), "txt")).isEmpty();
		assertThat(sniff(TestDocuments.text("\uFEFF \n\t<!DOCTYPE html>"), "txt")).isEmpty();
		assertThat(sniff(TestDocuments.text("<?xml version=\"1.0\"?><a/>"), "csv")).isEmpty();
		assertThat(sniff(TestDocuments.text("a < b, and <b> later"), "txt")).contains(DocumentFormat.TXT);
		assertThat(sniff(TestDocuments.text("<134>Oct 11 22:14:15 host app: started"), "txt")).contains(DocumentFormat.TXT);
	}

	@Test
	void executablesAndImagesAreNoDocuments() throws Exception {
		assertThat(sniff(TestDocuments.exe(), "pdf")).isEmpty();
		assertThat(sniff(TestDocuments.exe(), "txt")).isEmpty();
		assertThat(sniff(TestImages.png(4, 4), "txt")).isEmpty();
		assertThat(sniff(TestImages.jpeg(4, 4), "pdf")).isEmpty();
	}

	@Test
	void formatsOutsideTheAllowlistAreRefused() throws Exception {
		Set<DocumentFormat> pdfOnly = EnumSet.of(DocumentFormat.PDF);
		assertThat(sniff(TestDocuments.pdf(), "pdf", pdfOnly)).contains(DocumentFormat.PDF);
		for (var sample : new Object[][] { { TestDocuments.docx(), "docx" }, { TestDocuments.xlsx(), "xlsx" },
				{ TestDocuments.ole2(), "doc" }, { TestDocuments.ole2(), "xls" }, { TestDocuments.mp4(), "mp4" },
				{ TestDocuments.text("a"), "txt" }, { TestDocuments.text("a,b"), "csv" } }) {
			assertThat(sniff((byte[]) sample[0], (String) sample[1], pdfOnly)).as((String) sample[1]).isEmpty();
		}
		assertThat(sniff(TestDocuments.pdf(), "pdf", Set.of())).isEmpty();
		// a .csv file is CSV or nothing, never TXT instead
		assertThat(sniff(TestDocuments.text("a,b"), "csv", EnumSet.of(DocumentFormat.TXT))).isEmpty();
	}

	private Optional<DocumentFormat> sniff(byte[] bytes, String extension) throws Exception {
		return sniff(bytes, extension, ALL);
	}

	private Optional<DocumentFormat> sniff(byte[] bytes, String extension, Set<DocumentFormat> allowed)
			throws Exception {
		Path file = Files.write(Files.createTempFile(dir, "doc", ".bin"), bytes);
		return DocumentSniffer.sniff(file, extension, allowed);
	}

}
