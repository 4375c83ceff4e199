package dev.intake.worker.imaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import javax.imageio.ImageIO;

import dev.intake.contracts.ImageFormat;
import dev.intake.testsupport.TestImages;
import dev.intake.worker.imaging.svg.SvgActiveContentException;
import dev.intake.worker.imaging.svg.SvgDoctypeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DimensionReaderTest {

	private final DimensionReader reader = new DimensionReader();

	@TempDir
	Path dir;

	@Test
	void readsTheSizeOfImagesMadeWithImageIo() throws Exception {
		assertThat(read(TestImages.png(640, 480), ImageFormat.PNG)).isEqualTo(new Dimensions(640, 480));
		assertThat(read(TestImages.jpeg(300, 200), ImageFormat.JPEG)).isEqualTo(new Dimensions(300, 200));
		assertThat(read(TestImages.gif(17, 33), ImageFormat.GIF)).isEqualTo(new Dimensions(17, 33));
		assertThat(read(TestImages.bmp(5, 7), ImageFormat.BMP)).isEqualTo(new Dimensions(5, 7));
		assertThat(read(TestImages.tiff(40, 30), ImageFormat.TIFF)).isEqualTo(new Dimensions(40, 30));
	}

	@Test
	void readsIconsAndWebpThroughTwelveMonkeys() throws Exception {
		assertThat(read(TestImages.ico(48, 32), ImageFormat.ICO)).isEqualTo(new Dimensions(48, 32));
		assertThat(read(TestImages.webpLossless1x1(), ImageFormat.WEBP)).isEqualTo(new Dimensions(1, 1));
		assertThat(read(TestImages.webpHeader(300, 200), ImageFormat.WEBP)).isEqualTo(new Dimensions(300, 200));
	}

	@Test
	void theWebpSampleIsARealImage() throws Exception {
		assertThat(ImageIO.read(file(TestImages.webpLossless1x1()).toFile()).getWidth()).isEqualTo(1);
	}

	@Test
	void readsAPixelBombsSizeWithoutDecodingIt() throws Exception {
		Dimensions size = read(TestImages.pngClaiming(30000, 30000), ImageFormat.PNG);
		assertThat(size).isEqualTo(new Dimensions(30000, 30000));
		assertThat(size.pixels()).isEqualTo(900_000_000L);
	}

	@Test
	void refusesTruncatedAndMismatchedHeaders() {
		byte[] truncatedPng = Arrays.copyOf(TestImages.png(64, 64), 12);
		assertThatExceptionOfType(UnreadableImageException.class)
			.isThrownBy(() -> read(truncatedPng, ImageFormat.PNG));
		byte[] truncatedJpeg = Arrays.copyOf(TestImages.jpeg(64, 64), 4);
		assertThatExceptionOfType(UnreadableImageException.class)
			.isThrownBy(() -> read(truncatedJpeg, ImageFormat.JPEG));
		assertThatExceptionOfType(UnreadableImageException.class)
			.isThrownBy(() -> read(TestImages.png(8, 8), ImageFormat.GIF));
		assertThatExceptionOfType(UnreadableImageException.class)
			.isThrownBy(() -> read(TestImages.pngClaiming(0, 10), ImageFormat.PNG));
	}

	@Test
	void readsSvgSizeFromWidthHeightAndViewBox() throws Exception {
		assertThat(read(TestImages.svg("width=\"120\" height=\"80\""), ImageFormat.SVG))
			.isEqualTo(new Dimensions(120, 80));
		assertThat(read(TestImages.svg("width=\"120px\" height=\"1in\""), ImageFormat.SVG))
			.isEqualTo(new Dimensions(120, 96));
		assertThat(read(TestImages.svg("viewBox=\"0 0 64 48\""), ImageFormat.SVG)).isEqualTo(new Dimensions(64, 48));
		assertThat(read(TestImages.svg("width=\"100%\" viewBox=\"0,0,64,48\""), ImageFormat.SVG))
			.isEqualTo(new Dimensions(64, 48));
		assertThat(read(TestImages.svg("width=\"128\" viewBox=\"0 0 64 48\""), ImageFormat.SVG))
			.isEqualTo(new Dimensions(128, 96));
		assertThat(read(TestImages.svg("width=\"1e9\" height=\"1e9\""), ImageFormat.SVG))
			.isEqualTo(new Dimensions(1_000_000_000, 1_000_000_000));
	}

	@Test
	void refusesSvgWithoutAUsableSize() {
		for (String attributes : new String[] { "", "width=\"100%\" height=\"100%\"", "width=\"0\" height=\"10\"",
				"width=\"-5\" height=\"10\"", "width=\"wide\" height=\"10\"", "viewBox=\"0 0 0 10\"",
				"viewBox=\"0 0 ten 10\"" }) {
			assertThatExceptionOfType(UnreadableImageException.class).as(attributes)
				.isThrownBy(() -> read(TestImages.svg(attributes), ImageFormat.SVG));
		}
		assertThatExceptionOfType(UnreadableImageException.class)
			.isThrownBy(() -> read(TestImages.ascii("<svg width=\"10\" height=\"10\""), ImageFormat.SVG));
	}

	@Test
	@org.junit.jupiter.api.Timeout(60) // a hang guard: with a backtracking pattern this case ran for hours
	void aVeryLongSvgLengthIsRefusedWithoutBacktracking() {
		for (String width : new String[] { "1".repeat(200_000) + "x", "1".repeat(60) + "x" }) {
			assertThatExceptionOfType(UnreadableImageException.class)
				.isThrownBy(() -> read(TestImages.svg("width=\"" + width + "\" height=\"10\""), ImageFormat.SVG));
		}
	}

	@Test
	void refusesSvgWithADoctypeAndNeverResolvesEntities() {
		String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n"
				+ "<svg width=\"10\" height=\"10\"><text>&xxe;</text></svg>";
		assertThatExceptionOfType(SvgDoctypeException.class)
			.isThrownBy(() -> read(TestImages.ascii(xxe), ImageFormat.SVG));
		String laughs = "<!DOCTYPE svg [ <!ENTITY a \"aaaaaaaaaa\"> <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"> ]>"
				+ "<svg width=\"&b;\" height=\"10\"/>";
		assertThatExceptionOfType(SvgDoctypeException.class)
			.isThrownBy(() -> read(TestImages.ascii(laughs), ImageFormat.SVG));
	}

	@Test
	void reportsActiveContentInSvgBeforeItsSizeOrDoctype() {
		String script = "<script>alert(1)</script>";
		for (String svg : new String[] { "<svg>" + script + "</svg>", "<svg onload=\"alert(1)\"/>",
				"<svg width=\"100%\" height=\"100%\">" + script + "</svg>",
				"<svg width=\"wide\" height=\"10\">" + script + "</svg>",
				"<svg viewBox=\"0 0 0 10\">" + script + "</svg>",
				"<!DOCTYPE svg SYSTEM \"http://127.0.0.1:9/svg.dtd\"><svg width=\"10\" height=\"10\">" + script
						+ "</svg>",
				"<!DOCTYPE svg [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]><svg>" + script
						+ "<text>&xxe;</text></svg>" }) {
			assertThatExceptionOfType(SvgActiveContentException.class).as(svg)
				.isThrownBy(() -> read(TestImages.ascii(svg), ImageFormat.SVG));
		}
	}

	@Test
	void refusesADoctypeEvenWhenNothingActiveIsVisibleAndTheSizeIsMissing() {
		// the declared default attribute and entity are what a browser would see; this reader never does
		for (String svg : new String[] { "<!DOCTYPE svg [ <!ATTLIST svg onload CDATA \"alert(1)\"> ]><svg/>",
				"<!DOCTYPE svg [ <!ENTITY s \"&#60;script>alert(1)&#60;/script>\"> ]>"
						+ "<svg width=\"10\" height=\"10\">&s;</svg>",
				"<!DOCTYPE svg SYSTEM \"http://127.0.0.1:9/svg.dtd\"><svg/>" }) {
			assertThatExceptionOfType(SvgDoctypeException.class).as(svg)
				.isThrownBy(() -> read(TestImages.ascii(svg), ImageFormat.SVG));
		}
	}

	@Test
	void readsPastADoctypeWithoutLoadingWhatItNames() throws Exception {
		// were either file loaded, the reader would find its active content and report that instead
		Path dtd = Files.writeString(dir.resolve("svg.dtd"), "<!ATTLIST svg onload CDATA \"alert(1)\">");
		Path entity = Files.writeString(dir.resolve("script.xml"), "<script>alert(1)</script>");
		for (String svg : new String[] {
				"<!DOCTYPE svg SYSTEM \"" + dtd.toUri() + "\"><svg width=\"10\" height=\"10\"/>",
				"<!DOCTYPE svg [ <!ENTITY s SYSTEM \"" + entity.toUri() + "\"> ]>"
						+ "<svg width=\"10\" height=\"10\">&s;</svg>" }) {
			assertThatExceptionOfType(SvgDoctypeException.class).as(svg)
				.isThrownBy(() -> read(TestImages.ascii(svg), ImageFormat.SVG));
		}
	}

	@Test
	void refusesUndeclaredEntitiesInSvg() {
		assertThatExceptionOfType(UnreadableImageException.class)
			.isThrownBy(() -> read(TestImages.ascii("<svg width=\"&w;\" height=\"10\"/>"), ImageFormat.SVG));
	}

	private Dimensions read(byte[] bytes, ImageFormat format) throws UnreadableImageException, IOException {
		return reader.read(file(bytes), format);
	}

	private Path file(byte[] bytes) throws IOException {
		return Files.write(Files.createTempFile(dir, "image", ".bin"), bytes);
	}

}
