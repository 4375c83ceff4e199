package dev.intake.worker.imaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.intake.contracts.ImageFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for the format sniffer and each format's header and structure readers (ImageIO
 * header read, then our GIF, ICO, TIFF and SVG walkers and the EXIF orientation reader): for any
 * bytes they give a positive size or refuse with {@link UnreadableImageException}; any other
 * exception, a hang or running out of memory is a finding. Under {@code ./mvnw verify} each runs
 * only its seed corpus ({@code ImageParsersFuzzTestInputs/<method>/}, made from the test images,
 * plus every finding); {@code JAZZER_FUZZ=1} fuzzes one target (see the README).
 */
class ImageParsersFuzzTest {

	/** The inspector's frame limit; enough to walk past it on a crafted file. */
	private static final int MAX_FRAMES = 500;

	private static final DimensionReader reader = new DimensionReader();

	private static Path file;

	@AfterAll
	static void deleteFile() throws IOException {
		if (file != null) {
			Files.deleteIfExists(file);
		}
	}

	@FuzzTest(maxDuration = "60s")
	@Timeout(10)
	void sniffer(byte[] bytes) {
		FormatSniffer.sniff(bytes).ifPresent(format -> assertThat(format).isNotNull());
	}

	@FuzzTest(maxDuration = "60s")
	@Timeout(10)
	void jpeg(byte[] bytes) {
		readHeader(bytes, ImageFormat.JPEG);
	}

	@FuzzTest(maxDuration = "60s")
	@Timeout(10)
	void png(byte[] bytes) {
		readHeader(bytes, ImageFormat.PNG);
	}

	@FuzzTest(maxDuration = "60s")
	@Timeout(10)
	void gif(byte[] bytes) {
		readHeader(bytes, ImageFormat.GIF);
	}

	@FuzzTest(maxDuration = "60s")
	@Timeout(10)
	void bmp(byte[] bytes) {
		readHeader(bytes, ImageFormat.BMP);
	}

	@FuzzTest(maxDuration = "60s")
	@Timeout(10)
	void tiff(byte[] bytes) {
		readHeader(bytes, ImageFormat.TIFF);
	}

	@FuzzTest(maxDuration = "60s")
	@Timeout(10)
	void ico(byte[] bytes) {
		readHeader(bytes, ImageFormat.ICO);
	}

	@FuzzTest(maxDuration = "60s")
	@Timeout(10)
	void webp(byte[] bytes) {
		readHeader(bytes, ImageFormat.WEBP);
	}

	@FuzzTest(maxDuration = "60s")
	@Timeout(10)
	void svg(byte[] bytes) {
		readHeader(bytes, ImageFormat.SVG);
	}

	/** As the inspector does it: only bytes the sniffer gives this format reach its reader. */
	private static void readHeader(byte[] bytes, ImageFormat format) {
		Path path = write(bytes);
		if (sniff(path) != format) {
			return;
		}
		try {
			ImageHeader header = reader.header(path, format, MAX_FRAMES, stream -> {
			});
			assertThat(header.size().width()).isPositive();
			assertThat(header.size().height()).isPositive();
			assertThat(header.frames()).isPositive();
		}
		catch (UnreadableImageException refused) {
			// a refusal with a stable code is the expected outcome for most inputs
		}
		int orientation = Orientation.read(path, format);
		assertThat(orientation).isBetween(1, 8);
	}

	private static ImageFormat sniff(Path path) {
		try {
			return FormatSniffer.sniff(path).orElse(null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path write(byte[] bytes) {
		try {
			if (file == null) {
				file = Files.createTempFile("intake-fuzz-", ".bin");
			}
			return Files.write(file, bytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
