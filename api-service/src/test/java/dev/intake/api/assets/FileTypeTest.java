package dev.intake.api.assets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FileTypeTest {

	@Test
	void imagesAreRecognisedByTheirBytesWhateverTheirName() {
		assertThat(type(TestImages.png(2, 2), "x.jpg")).isEqualTo("image/png");
		assertThat(type(TestImages.jpeg(2, 2), "x.png")).isEqualTo("image/jpeg");
		assertThat(type(TestImages.gif(2, 2), "x")).isEqualTo("image/gif");
		assertThat(type(TestImages.bmp(2, 2), "x")).isEqualTo("image/bmp");
		assertThat(type(TestImages.tiff(2, 2), "x")).isEqualTo("image/tiff");
		assertThat(type(TestImages.ico(2, 2), "x")).isEqualTo("image/vnd.microsoft.icon");
		assertThat(type(TestImages.webpLossless1x1(), "x")).isEqualTo("image/webp");
		assertThat(type(TestImages.svg("width=\"1\""), "x.txt")).isEqualTo("image/svg+xml");
		assertThat(FileType.sniff(TestImages.png(2, 2), "x").orElseThrow().image()).isTrue();
	}

	@Test
	void documentsAreRecognisedByTheirBytesTheNameOnlyTellingApartLookAlikes() {
		assertThat(type(TestImages.pdf(), "x.png")).isEqualTo("application/pdf");
		assertThat(type(utf8("a,b\n1,2\n"), "x.csv")).isEqualTo("text/csv");
		assertThat(type(utf8("plain words, ünïcode\n"), "x.png")).isEqualTo("text/plain");
		byte[] ole = { (byte) 0xd0, (byte) 0xcf, 0x11, (byte) 0xe0, (byte) 0xa1, (byte) 0xb1, 0x1a, (byte) 0xe1, 0, 0 };
		assertThat(type(ole, "sheet.xls")).isEqualTo("application/vnd.ms-excel");
		assertThat(type(ole, "letter.doc")).isEqualTo("application/msword");
		byte[] zip = TestImages.zip();
		assertThat(type(zip, "x.docx")).isEqualTo(
				"application/vnd.openxmlformats-officedocument.wordprocessingml.document");
		assertThat(FileType.sniff(zip, "x.zip")).isEmpty();
		byte[] mp4 = utf8("\0\0\0\u0018ftypisom\0\0\0\0");
		assertThat(type(mp4, "clip")).isEqualTo("video/mp4");
	}

	@Test
	void markupBinariesAndBrokenTextAreNotAccepted() {
		assertThat(FileType.sniff(TestImages.html(), "x.txt")).isEmpty();
		assertThat(FileType.sniff(utf8("<script>alert(1)</script>"), "x.txt")).isEmpty();
		assertThat(FileType.sniff(new byte[] { 'M', 'Z', (byte) 0x90, 0, 3, 0 }, "x.png")).isEmpty();
		assertThat(FileType.sniff(new byte[] { (byte) 0xc3, 0x28 }, "x.txt")).isEmpty();
		assertThat(FileType.sniff(utf8("text\0with a NUL"), "x.txt")).isEmpty();
	}

	@Test
	void aCharacterCutAtTheEndOfTheHeadIsStillText() {
		byte[] cut = Arrays.copyOf(utf8("a" + "é".repeat(FileType.HEAD)), FileType.HEAD);
		assertThat(type(cut, "x.txt")).isEqualTo("text/plain");
		// a whole file (shorter than the head) that ends in a broken character is not text
		byte[] whole = utf8("a" + "é".repeat(10));
		assertThat(FileType.sniff(Arrays.copyOf(whole, whole.length - 1), "x.txt")).isEmpty();
	}

	@Test
	void anEmptyFileTakesTheTypeItsNameSays() {
		assertThat(FileType.ofName("later.png").contentType()).isEqualTo("image/png");
		assertThat(FileType.ofName("report.PDF").contentType()).isEqualTo("application/pdf");
		assertThat(FileType.ofName("no-extension")).isEqualTo(FileType.UNKNOWN);
		assertThat(FileType.ofName("x.exe")).isEqualTo(FileType.UNKNOWN);
	}

	private static String type(byte[] bytes, String name) {
		Optional<FileType> type = FileType.sniff(Arrays.copyOf(bytes, Math.min(bytes.length, FileType.HEAD)), name);
		assertThat(type).as("type of %s", name).isPresent();
		return type.get().contentType();
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
