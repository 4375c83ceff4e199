package dev.intake.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.intake.contracts.Asset;
import dev.intake.contracts.Topics;
import dev.intake.testsupport.TestImages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An AnqiCMS attachment upload whose worker is killed with SIGKILL in the middle of the item
 * (its decode held by the worker's test hook {@code hold-decode-of}), a fresh worker left to
 * finish it: the client gets its answer, or a 503 with {@code Retry-After} after which the asset
 * still appears; the catalogue holds exactly one asset for the upload and S3 exactly one original.
 */
@ExtendWith(Faults.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SingleFileKillIT {

	private static final String TENANT = "single";

	private static final JsonMapper json = JsonMapper.builder().build();

	@AfterEach
	void endScenario() {
		Faults.endScenario();
	}

	@Test
	void aSingleFileUploadWhoseWorkerIsKilledMidItemIsStoredOnce() throws Exception {
		Stack stack = Stack.shared();
		String name = "held-" + System.currentTimeMillis() + ".jpg";
		byte[] jpeg = TestImages.variant(TestImages.noisyJpegs(1, 300_000, 21).get(0), name);
		Child killed = Faults.involve(stack.startWorker(TENANT, "--intake.worker.fault-injection.hold-decode-of=" + name));
		long begin = System.nanoTime();

		CompletableFuture<HttpResponse<String>> answer = upload(stack, name, jpeg);
		killed.awaitLog("Holding the decode of " + name, Duration.ofMinutes(2));
		killed.kill();
		Faults.log("killed " + killed.name() + " (pid " + killed.pid() + ") holding " + name + ", " + Faults.since(begin)
				+ " after the upload was sent");
		assertThat(answer).as("the client still waits for the item the killed worker held").isNotDone();
		Faults.involve(stack.startWorker(TENANT));

		HttpResponse<String> response = answer.get(5, TimeUnit.MINUTES);
		Faults.log("the upload answered " + response.statusCode() + " " + Faults.since(begin) + " after it was sent");
		JsonNode body = json.readTree(response.body());
		Long answeredId = null;
		if (response.statusCode() == 200) {
			assertThat(body.get("code").asInt()).as(response.body()).isZero();
			JsonNode data = body.get("data");
			assertThat(data.get("file_md5").asString()).isEqualTo(hex("MD5", jpeg));
			assertThat(data.get("file_size").asLong()).isEqualTo(jpeg.length);
			answeredId = data.get("id").asLong();
		}
		else {
			// past the deadline: the API's own error shape, and the upload completes in the background
			assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
			assertThat(response.headers().firstValue("Retry-After")).isPresent();
			assertThat(body.get("code").asInt()).as(response.body()).isEqualTo(-1);
		}

		String sha256 = hex("SHA-256", jpeg);
		List<Asset> assets = await().alias("the asset of " + name + " in the catalogue")
			.atMost(Duration.ofMinutes(3))
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> catalogueOf(stack, TENANT), found -> found.stream()
				.anyMatch(asset -> asset.file() != null && sha256.equals(asset.file().sha256())));
		List<Long> ids = assets.stream().map(Asset::id).distinct().toList();
		assertThat(ids).as("one asset id for the one upload").hasSize(1);
		if (answeredId != null) {
			assertThat(ids).containsExactly(answeredId);
		}
		Asset asset = assets.get(assets.size() - 1);
		assertThat(asset.originalName()).isEqualTo(name);
		assertThat(asset.revision()).as("the file stored once, not replaced").isEqualTo(1);
		assertThat(asset.file().md5()).isEqualTo(hex("MD5", jpeg));

		// the upload's internal batch: one item, succeeded once; one original in S3, nothing staged left
		Api api = new Api(stack, TENANT);
		JsonNode done = api.awaitDone(asset.batchId(), Duration.ofMinutes(2));
		AfterChecks.Outcome outcome = AfterChecks.verify(stack, TENANT, done);
		assertThat(outcome.succeeded()).as("the item the killed worker held succeeded").isEqualTo(1);
		assertThat(outcome.items().get(0).get("image").get("sha256").asString()).isEqualTo(sha256);
	}

	/** The AnqiCMS document's curl example, {@code -F category_id=1 -F file=@…}, sent without waiting. */
	private static CompletableFuture<HttpResponse<String>> upload(Stack stack, String name, byte[] jpeg) {
		String boundary = "------------------------faults" + UUID.randomUUID();
		ByteArrayOutputStream form = new ByteArrayOutputStream();
		form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"category_id\"\r\n\r\n1\r\n--"
				+ boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
				+ "\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
		form.writeBytes(jpeg);
		form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		HttpRequest request = HttpRequest
			.newBuilder(URI.create(stack.apiBase() + "/attachment/upload?token=" + Stack.token(TENANT)))
			.timeout(Duration.ofMinutes(3))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray()))
			.build();
		return HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.build()
			.sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

	/** Every value of the tenant's assets on {@code intake.assets}, read from the start with a consumer of the test's own. */
	private static List<Asset> catalogueOf(Stack stack, String tenant) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka(),
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		List<Asset> found = new ArrayList<>();
		try (var consumer = new KafkaConsumer<>(config, Topics.ASSETS.keySerde().deserializer(),
				Topics.ASSETS.valueSerde().deserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(Topics.ASSETS.name(), Duration.ofMinutes(2))
				.stream()
				.map(info -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
			while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, Asset> record : consumer.poll(Duration.ofMillis(500))) {
					if (record.key() != null && record.key().startsWith(tenant + "/") && record.value() != null) {
						found.add(record.value());
					}
				}
			}
		}
		return found;
	}

	private static String hex(String algorithm, byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
	}

}
