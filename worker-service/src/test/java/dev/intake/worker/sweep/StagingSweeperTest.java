package dev.intake.worker.sweep;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.intake.contracts.InternalApi;
import dev.intake.contracts.JsonSerde;
import dev.intake.contracts.ObjectKeys;
import dev.intake.testsupport.S3ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweeper's decisions against a real S3 server (S3Proxy); its clock is moved instead of
 * waiting. The content index's answer comes from a loopback stand-in of the owned-keys endpoint,
 * so the test can decide what is owned and when the index cannot answer.
 */
class StagingSweeperTest {

	private static final String BUCKET = "sweep";

	private static final String TOKEN = "sweeper-test-token";

	private static final JsonSerde<Object> JSON = new JsonSerde<>(Object.class);

	private static S3ProxyFixture s3;

	private static S3Client client;

	private static HttpServer index;

	/** The keys the stand-in index keeps, and the status it answers with. */
	private static volatile Set<String> kept = Set.of();

	private static volatile int status = 200;

	private static final List<List<String>> questions = new CopyOnWriteArrayList<>();

	private static final List<String> tokens = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void start() throws Exception {
		s3 = S3ProxyFixture.start().withBucket(BUCKET);
		client = s3.newWorkerClient();
		index = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		index.createContext(InternalApi.UPLOADS_OWNED, StagingSweeperTest::answer);
		index.start();
	}

	@AfterAll
	static void stop() throws Exception {
		index.stop(0);
		client.close();
		s3.close();
	}

	@BeforeEach
	void reset() {
		kept = Set.of();
		status = 200;
		questions.clear();
		tokens.clear();
	}

	@Test
	void deletesOnlyStagedObjectsOlderThanTheirMaxAgeAndAbortsOldMultipartUploads() {
		s3.put(BUCKET, "staging/acme/u1/0", new byte[] { 1 });
		s3.put(BUCKET, "staging/acme/u1/1", new byte[] { 2 });
		s3.put(BUCKET, "images/acme/abc.png", new byte[] { 3 });
		String uploadId = client.createMultipartUpload(b -> b.bucket(BUCKET).key("staging/acme/u2/0")).uploadId();
		client.uploadPart(b -> b.bucket(BUCKET).key("staging/acme/u2/0").uploadId(uploadId).partNumber(1),
				RequestBody.fromBytes(new byte[] { 4 }));

		StagingSweeper.Swept early = sweeper(Duration.ofHours(1)).sweep();

		assertThat(early).isEqualTo(new StagingSweeper.Swept(0, 0, 0));
		assertThat(s3.exists(BUCKET, "staging/acme/u1/0")).isTrue();
		assertThat(client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).hasSize(1);

		StagingSweeper.Swept late = sweeper(Duration.ofDays(8)).sweep();

		assertThat(late).isEqualTo(new StagingSweeper.Swept(2, 0, 1));
		assertThat(s3.exists(BUCKET, "staging/acme/u1/0")).isFalse();
		assertThat(s3.exists(BUCKET, "staging/acme/u1/1")).isFalse();
		assertThat(s3.exists(BUCKET, "images/acme/abc.png")).isTrue();
		assertThat(client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();

		// a second instance sweeping the same bucket finds nothing left and fails nothing
		assertThat(sweeper(Duration.ofDays(8)).sweep()).isEqualTo(new StagingSweeper.Swept(0, 0, 0));
	}

	@Test
	void deletesOldUploadsTheContentIndexDoesNotKeepAndAsksNothingAboutNewerHours() {
		Instant now = Instant.now();
		String keptUpload = ObjectKeys.upload(now, "acme", "u1", 0);
		String orphan = ObjectKeys.upload(now, "acme", "u1", 1);
		String otherOrphan = ObjectKeys.upload(now.minus(Duration.ofHours(30)), "beta", "u2", 0);
		// written now, but under an hour the moved clock still counts as recent: never listed
		String recentHour = ObjectKeys.upload(now.plus(Duration.ofDays(8)), "acme", "u3", 0);
		for (String key : List.of(keptUpload, orphan, otherOrphan, recentHour)) {
			s3.put(BUCKET, key, new byte[] { 7 });
		}
		kept = Set.of(keptUpload, "uploads/2001010100/acme/never/0");

		assertThat(sweeper(Duration.ofHours(1)).sweep()).isEqualTo(new StagingSweeper.Swept(0, 0, 0));
		assertThat(questions).isEmpty();

		StagingSweeper.Swept swept = sweeper(Duration.ofDays(8)).sweep();

		assertThat(swept).isEqualTo(new StagingSweeper.Swept(0, 2, 0));
		assertThat(s3.exists(BUCKET, keptUpload)).isTrue();
		assertThat(s3.exists(BUCKET, orphan)).isFalse();
		assertThat(s3.exists(BUCKET, otherOrphan)).isFalse();
		assertThat(s3.exists(BUCKET, recentHour)).isTrue();
		assertThat(questions.stream().flatMap(List::stream)).containsExactlyInAnyOrder(keptUpload, orphan,
				otherOrphan);
		assertThat(tokens).containsOnly(TOKEN);

		client.deleteObject(b -> b.bucket(BUCKET).key(keptUpload));
		client.deleteObject(b -> b.bucket(BUCKET).key(recentHour));
	}

	@Test
	void deletesNoUploadWhenTheContentIndexCannotAnswer() {
		Instant old = Instant.now().minus(Duration.ofHours(3));
		String upload = ObjectKeys.upload(old, "acme", "u4", 0);
		s3.put(BUCKET, upload, new byte[] { 8 });

		status = 503;
		assertThat(sweeper(Duration.ofDays(8)).sweep()).isEqualTo(new StagingSweeper.Swept(0, 0, 0));
		assertThat(questions).hasSize(1);
		assertThat(s3.exists(BUCKET, upload)).isTrue();

		// the next run, with the index answering, removes it
		status = 200;
		assertThat(sweeper(Duration.ofDays(8)).sweep()).isEqualTo(new StagingSweeper.Swept(0, 1, 0));
		assertThat(s3.exists(BUCKET, upload)).isFalse();
	}

	/** The owned-keys endpoint: those asked about that {@link #kept} names, or {@link #status}. */
	private static void answer(HttpExchange exchange) throws IOException {
		byte[] body = exchange.getRequestBody().readAllBytes();
		@SuppressWarnings("unchecked")
		List<String> asked = (List<String>) JSON.deserialize(null, body);
		questions.add(asked);
		tokens.add(exchange.getRequestHeaders().getFirst(InternalApi.TOKEN_HEADER));
		byte[] answer = (status == 200)
				? JSON.serialize(null,
						Map.of("code", 200, "message", "success", "data",
								Map.of("owned", asked.stream().filter(kept::contains).toList())))
				: "{\"code\":1500,\"message\":\"unavailable\"}".getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, answer.length);
		exchange.getResponseBody().write(answer);
		exchange.close();
	}

	/** A sweeper whose clock runs {@code ahead} of the S3 server's (7 days staged, 1 day multipart). */
	private static StagingSweeper sweeper(Duration ahead) {
		var props = new SweeperProperties(true, Duration.ofHours(1), Duration.ofDays(7), Duration.ofDays(1), 100);
		var owned = new OwnedUploads(URI.create("http://127.0.0.1:" + index.getAddress().getPort()), TOKEN,
				Duration.ofSeconds(5));
		return new StagingSweeper(client, BUCKET, props, owned,
				Clock.fixed(Instant.now().plus(ahead), ZoneOffset.UTC));
	}

}
