package dev.intake.worker.ingest.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemSource;
import dev.intake.worker.imaging.DecodePool;
import dev.intake.worker.imaging.DimensionReader;
import dev.intake.worker.imaging.PixelLimit;
import dev.intake.worker.imaging.rendition.RenditionMaker;
import dev.intake.worker.imaging.rendition.RenditionSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Real-world files: every sample image in TwelveMonkeys' published test jars (BMP Suite good,
 * questionable and bad files, icons and cursors, broken and EXIF JPEGs, TIFF and BigTIFF
 * variants, WebP samples; test-scoped Maven Central artifacts) goes through the inspector. Each
 * must be accepted or refused with a stable item code; no exception may escape and none may
 * hang. The tally per code is printed at the end.
 */
@Timeout(60)
class RealWorldFilesTest {

	private static final Set<String> STABLE_CODES = Set.of("UNSUPPORTED_FORMAT", "CORRUPT_IMAGE", "TOO_MANY_PIXELS",
			"UNSAFE_SVG");

	private static final List<String> JARS = List.of("imageio-bmp", "imageio-jpeg", "imageio-tiff", "imageio-webp");

	private static final DecodePool pool = new DecodePool(2, Duration.ofSeconds(20));

	private static final ImageInspector inspector = new ImageInspector(new DimensionReader(),
			new PixelLimit(50_000_000, 16384), 500, pool, new RenditionMaker(0.8f),
			List.of(new RenditionSpec("thumb", 256), new RenditionSpec("preview", 1024)));

	private static final Map<String, Integer> tally = new ConcurrentHashMap<>();

	@TempDir
	Path dir;

	@AfterAll
	static void report() {
		pool.close();
		System.out.println("Real-world files by outcome: " + new TreeMap<>(tally));
	}

	static Stream<Arguments> samples() throws IOException {
		List<Arguments> samples = new ArrayList<>();
		for (String artifact : JARS) {
			String marker = "META-INF/maven/com.twelvemonkeys.imageio/" + artifact + "/pom.properties";
			for (URL url : Collections.list(RealWorldFilesTest.class.getClassLoader().getResources(marker))) {
				if (!url.getPath().contains("-tests.jar!")) {
					continue;
				}
				try (JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile()) {
					for (JarEntry entry : Collections.list(jar.entries())) {
						if (isSample(entry)) {
							samples.add(arguments(artifact + ":" + entry.getName(), read(jar, entry)));
						}
					}
				}
			}
		}
		assertThat(samples).as("samples found in the TwelveMonkeys test jars").hasSizeGreaterThan(200);
		return samples.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("samples")
	void eachSampleIsAcceptedOrRefusedWithAStableCode(String name, byte[] bytes) throws Exception {
		Path file = Files.write(Files.createTempFile(dir, "sample-", ".bin"), bytes);
		IngestImage job = new IngestImage("acme", "batch-1", "acme/batch-1/0", 0, "item",
				new ItemSource.Staged(null, "sample.bin"), 1);

		Inspection verdict = inspector.inspect(job, file, Instant.parse("2026-01-06T10:00:00Z"));

		if (verdict instanceof Inspection.Refused refused) {
			assertThat(refused.failure().code()).as(name).isIn(STABLE_CODES);
			assertThat(refused.failure().message()).as(name).isNotBlank();
			tally.merge(refused.failure().code(), 1, Integer::sum);
		}
		else {
			Inspection.Accepted accepted = (Inspection.Accepted) verdict;
			assertThat(accepted.size().width()).as(name).isPositive();
			assertThat(accepted.size().height()).as(name).isPositive();
			assertThat(accepted.renditions()).as(name).isNotEmpty();
			tally.merge("ACCEPTED " + accepted.format(), 1, Integer::sum);
		}
	}

	private static boolean isSample(JarEntry entry) {
		String name = entry.getName();
		return !entry.isDirectory() && !name.startsWith("META-INF/") && !name.endsWith(".class") && entry.getSize() > 0
				&& entry.getSize() < 10 * 1024 * 1024;
	}

	private static byte[] read(JarFile jar, JarEntry entry) {
		try (InputStream in = jar.getInputStream(entry)) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
