package dev.intake.worker.imaging;

import java.util.Arrays;

import dev.intake.contracts.ImageFormat;
import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.intake.testsupport.TestImages.ascii;
import static org.assertj.core.api.Assertions.assertThat;

class FormatSnifferTest {

	@Test
	void recognisesEachRasterFormatByItsMagic() {
		assertThat(FormatSniffer.sniff(TestImages.jpeg(4, 3))).contains(ImageFormat.JPEG);
		assertThat(FormatSniffer.sniff(TestImages.png(4, 3))).contains(ImageFormat.PNG);
		assertThat(FormatSniffer.sniff(TestImages.gif(4, 3))).contains(ImageFormat.GIF);
		assertThat(FormatSniffer.sniff(TestImages.bmp(4, 3))).contains(ImageFormat.BMP);
		assertThat(FormatSniffer.sniff(TestImages.tiff(4, 3))).contains(ImageFormat.TIFF);
		assertThat(FormatSniffer.sniff(TestImages.ico(16, 16))).contains(ImageFormat.ICO);
		assertThat(FormatSniffer.sniff(TestImages.webpLossless1x1())).contains(ImageFormat.WEBP);
	}

	@Test
	void recognisesBareMagicNumbers() {
		assertThat(FormatSniffer.sniff(bytes(0xFF, 0xD8, 0xFF, 0xE0))).contains(ImageFormat.JPEG);
		assertThat(FormatSniffer.sniff(ascii("GIF87a..."))).contains(ImageFormat.GIF);
		assertThat(FormatSniffer.sniff(bytes('I', 'I', 42, 0, 8, 0, 0, 0))).contains(ImageFormat.TIFF);
		assertThat(FormatSniffer.sniff(bytes('M', 'M', 0, 42, 0, 0, 0, 8))).contains(ImageFormat.TIFF);
		assertThat(FormatSniffer.sniff(ascii("RIFF\0\0\0\0WEBPVP8 "))).contains(ImageFormat.WEBP);
	}

	@ParameterizedTest
	@ValueSource(strings = { "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>",
			"\uFEFF<?xml version=\"1.0\"?><svg>", "  \n\t<svg\n>", "<!-- a > b --><?pi x?><svg/>",
			"<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\" [ <!ENTITY a \">\"> ]>\n<svg>" })
	void recognisesSvgAfterItsProlog(String text) {
		assertThat(FormatSniffer.sniff(ascii(text))).contains(ImageFormat.SVG);
	}

	@ParameterizedTest
	@ValueSource(strings = { "<svgx>", "<html><svg></svg></html>", "<?xml version=\"1.0\"?><not-svg/>",
			"<!-- never closed <svg>", "<?xml never closed <svg>", "<svg", "text before <svg>" })
	void refusesTextThatIsNotAnSvgDocument(String text) {
		assertThat(FormatSniffer.sniff(ascii(text))).isEmpty();
	}

	@Test
	void refusesOtherFileTypes() {
		assertThat(FormatSniffer.sniff(TestImages.pdf())).isEmpty();
		assertThat(FormatSniffer.sniff(TestImages.html())).isEmpty();
		assertThat(FormatSniffer.sniff(TestImages.zip())).isEmpty();
		assertThat(FormatSniffer.sniff(ascii("BMW is a car, not a bitmap"))).isEmpty();
		assertThat(FormatSniffer.sniff(ascii("RIFF\0\0\0\0WAVEfmt "))).isEmpty();
		assertThat(FormatSniffer.sniff(bytes(0, 0, 2, 0, 1, 0))).isEmpty();
	}

	@Test
	void refusesEmptyAndTruncatedHeads() {
		assertThat(FormatSniffer.sniff(new byte[0])).isEmpty();
		assertThat(FormatSniffer.sniff(bytes(0xFF, 0xD8))).isEmpty();
		assertThat(FormatSniffer.sniff(Arrays.copyOf(TestImages.png(1, 1), 7))).isEmpty();
		assertThat(FormatSniffer.sniff(ascii("GIF89"))).isEmpty();
		assertThat(FormatSniffer.sniff(ascii("RIFF\0\0\0\0WEB"))).isEmpty();
		assertThat(FormatSniffer.sniff(Arrays.copyOf(TestImages.ico(16, 16), 10))).isEmpty();
		assertThat(FormatSniffer.sniff(Arrays.copyOf(TestImages.bmp(2, 2), 10))).isEmpty();
	}

	@Test
	void refusesIconsWithAnImplausibleImageCount() {
		byte[] ico = TestImages.ico(16, 16);
		ico[4] = 0;
		assertThat(FormatSniffer.sniff(ico)).isEmpty();
		ico[4] = (byte) 0xFF;
		ico[5] = (byte) 0xFF;
		assertThat(FormatSniffer.sniff(ico)).isEmpty();
	}

	private static byte[] bytes(int... values) {
		byte[] bytes = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = (byte) values[i];
		}
		return bytes;
	}

}
