package dev.intake.api.submission;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import dev.intake.api.publish.RecordingBatchPublisher;
import dev.intake.api.staging.FlakyStore;
import dev.intake.api.staging.UploadSlots;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemSource;
import dev.intake.platform.s3.IntakeS3Properties;
import dev.intake.platform.s3.S3ClientsConfiguration;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;

import software.amazon.awssdk.services.s3.S3AsyncClient;

import static dev.intake.api.TestServers.bytes;
import static dev.intake.api.TestServers.deleteStaged;
import static dev.intake.api.TestServers.read;
import static dev.intake.api.TestServers.staged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Submits whose uploads meet transient store errors: the service's uploads go through a
 * {@link FlakyStore} in front of the test store. Small files, archive entries and Base64 items are
 * retried and each stored once; a large file, streamed, fails the submit with 503 and leaves
 * nothing behind.
 */
@ApiServiceTest
@Import(SubmitThroughAFlakyStoreTest.FlakyStaging.class)
class SubmitThroughAFlakyStoreTest {

	private static final FlakyStore store = new FlakyStore(TestServers.s3Endpoint());

	private static final int MB = 1024 * 1024;

	@LocalServerPort
	int port;

	@Autowired
	RecordingBatchPublisher publisher;

	@Autowired
	UploadSlots slots;

	WebTestClient client;

	@BeforeEach
	void setUp() {
		client = TestServers.client(port);
		publisher.reset();
		deleteStaged();
		store.failNextPuts(0, FlakyStore.Fault.SLOW_DOWN);
	}

	@AfterAll
	static void stopStore() {
		store.close();
	}

	@Test
	void smallFilesAndArchiveEntriesAreStoredOnceDespiteTransientErrors() {
		List<byte[]> files = new ArrayList<>();
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		for (int i = 0; i < 12; i++) {
			files.add(bytes(20_000 + 1000 * i, i));
			file(body, "f" + i + ".png", files.get(i));
		}
		List<byte[]> entries = List.of(bytes(30_000, 100), bytes(40_000, 101), bytes(50_000, 102));
		file(body, "set.zip", zip(entries));
		store.failNextPuts(3, FlakyStore.Fault.SLOW_DOWN);

		post(body).expectStatus().isOk().expectBody().jsonPath("$.data.total_count").isEqualTo(15);

		assertThat(store.failuresLeft()).isZero();
		List<byte[]> expected = new ArrayList<>(files);
		expected.addAll(entries);
		expectStoredOnce(expected);
	}

	@Test
	void droppedConnectionsAreRetriedToo() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		List<byte[]> files = List.of(bytes(10_000, 1), bytes(11_000, 2), bytes(12_000, 3));
		for (int i = 0; i < files.size(); i++) {
			file(body, "d" + i + ".png", files.get(i));
		}
		store.failNextPuts(2, FlakyStore.Fault.DROP);

		post(body).expectStatus().isOk();

		assertThat(store.failuresLeft()).isZero();
		expectStoredOnce(files);
	}

	@Test
	void base64ItemsAreStoredOnceDespiteTransientErrors() {
		List<byte[]> items = List.of(bytes(5000, 7), bytes(6000, 8));
		String json = "{\"items\":[" + String.join(",",
				items.stream()
					.map(item -> "{\"type\":\"base64\",\"data\":\"" + Base64.getEncoder().encodeToString(item) + "\"}")
					.toList())
				+ "]}";
		store.failNextPuts(2, FlakyStore.Fault.INTERNAL_ERROR);

		client.post()
			.uri("/v1/batch-upload/submit")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json)
			.exchange()
			.expectStatus()
			.isOk();

		assertThat(store.failuresLeft()).isZero();
		expectStoredOnce(items);
	}

	@Test
	void aLargeFileStreamedIntoAnErrorFailsTheSubmitWith503AndLeavesNothing() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		file(body, "small.png", bytes(1000, 1));
		file(body, "large.png", bytes(3 * MB, 2));
		store.failNextPuts(1, FlakyStore.Fault.SLOW_DOWN, MB);

		post(body).expectStatus().isEqualTo(503).expectHeader().exists("Retry-After");

		assertThat(store.failuresLeft()).isZero();
		assertThat(publisher.published()).isEmpty();
		await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(staged()).isEmpty());
		await().atMost(Duration.ofMinutes(2)).until(() -> slots.inUse() == 0);
	}

	/** Every expected content staged exactly once, under the keys of the published jobs, and nothing else. */
	private void expectStoredOnce(List<byte[]> expected) {
		assertThat(publisher.published()).hasSize(1);
		List<String> keys = publisher.published()
			.get(0)
			.jobs()
			.stream()
			.map(IngestImage::source)
			.map(source -> ((ItemSource.Staged) source).blob().key())
			.toList();
		assertThat(keys).hasSize(expected.size()).doesNotHaveDuplicates();
		for (int i = 0; i < expected.size(); i++) {
			assertThat(read(keys.get(i))).isEqualTo(expected.get(i));
		}
		assertThat(staged()).containsExactlyInAnyOrderElementsOf(keys);
		await().atMost(Duration.ofMinutes(2)).until(() -> slots.inUse() == 0);
	}

	private WebTestClient.ResponseSpec post(MultipartBodyBuilder body) {
		return client.post()
			.uri("/v1/batch-upload/submit-with-files")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.bodyValue(body.build())
			.exchange();
	}

	private static void file(MultipartBodyBuilder body, String filename, byte[] content) {
		body.part("files", content).filename(filename).contentType(MediaType.APPLICATION_OCTET_STREAM);
	}

	private static byte[] zip(List<byte[]> entries) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
			for (int i = 0; i < entries.size(); i++) {
				out.putArchiveEntry(new ZipArchiveEntry("e" + i + ".png"));
				out.write(entries.get(i));
				out.closeArchiveEntry();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/** The service's async S3 client (its uploads) pointed at the flaky store. */
	@TestConfiguration(proxyBeanMethods = false)
	static class FlakyStaging {

		@Bean(destroyMethod = "close")
		S3AsyncClient s3AsyncClient(IntakeS3Properties props) {
			URI endpoint = store.endpoint();
			IntakeS3Properties flaky = new IntakeS3Properties(endpoint, props.region(), props.bucket(),
					props.accessKey(), props.secretKey(), props.pathStyle(), props.createBucket(),
					props.maxConnections(), props.apiCallTimeout(), props.connectionAcquireTimeout(),
					props.silenceTimeout(), props.asyncApiCallTimeout());
			return S3ClientsConfiguration.asyncClient(flaky, props.maxConnections(), props.connectionAcquireTimeout());
		}

	}

}
