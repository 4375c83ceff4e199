package dev.intake.api.submission.multipart;

import dev.intake.api.staging.MemoryStagingStore;
import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.multipart.FuzzedUploads.Outcome;
import dev.intake.api.submission.zip.ArchiveThreads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.intake.api.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;

import org.springframework.http.codec.multipart.PartEvent;

import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inputs of {@link MultipartUploadFuzzTest} (seeds and findings) through the whole staging
 * path, into the test S3 store: each ends as it does when staged into memory, and once discarded
 * leaves nothing in the bucket.
 */
@Timeout(120)
class MultipartUploadCorpusTest {

	private static final String BUCKET = "multipart-corpus-test";

	private static S3AsyncClient s3;

	private static ArchiveThreads threads;

	@BeforeAll
	static void start() {
		s3 = TestServers.s3Async();
		s3.createBucket(create -> create.bucket(BUCKET)).exceptionally(ex -> null).join();
		threads = new ArchiveThreads(1, 4, 64 * 1024);
	}

	@AfterAll
	static void stop() {
		threads.dispose();
		s3.close();
	}

	static Stream<Arguments> inputs() throws IOException, URISyntaxException {
		return Stream.concat(inputs("multipartBody", FuzzedUploads::body),
				inputs("zipArchive", FuzzedUploads::zipPart));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("inputs")
	void endsAsInMemoryAndLeavesNothingStaged(String name, Function<byte[], Flux<PartEvent>> parts, byte[] input) {
		String id = "corpus-" + name.replace('/', '-');
		StagingArea memory = new StagingArea(new MemoryStagingStore(BUCKET), FuzzedUploads.RETRY_BUFFERS);
		Outcome inMemory = FuzzedUploads.upload(id, parts.apply(input), memory, new UploadSlots(2), threads,
				accepted -> {
				});
		StagingArea onS3Staging = new StagingArea(s3, BUCKET, FuzzedUploads.RETRY_BUFFERS);
		Outcome onS3 = FuzzedUploads.upload(id, parts.apply(input), onS3Staging, new UploadSlots(2), threads,
				accepted -> assertThat(staged(id)).hasSize(accepted.items().size()));

		assertThat(onS3).isEqualTo(inMemory);
		assertThat(staged(id)).isEmpty();
	}

	private static Stream<Arguments> inputs(String target, Function<byte[], Flux<PartEvent>> parts)
			throws IOException, URISyntaxException {
		Path directory = Path.of(MultipartUploadCorpusTest.class
			.getResource("MultipartUploadFuzzTestInputs/" + target)
			.toURI());
		try (Stream<Path> files = Files.list(directory)) {
			List<Path> sorted = files.sorted().toList();
			return sorted.stream()
				.map(file -> Arguments.of(target + "/" + file.getFileName(), parts, read(file)));
		}
	}

	private static byte[] read(Path file) {
		try {
			return Files.readAllBytes(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Keys in the bucket that name upload {@code id}. */
	private static List<String> staged(String id) {
		return s3.listObjectsV2(list -> list.bucket(BUCKET))
			.join()
			.contents()
			.stream()
			.map(S3Object::key)
			.filter(key -> key.contains("/" + id + "/"))
			.toList();
	}

}
