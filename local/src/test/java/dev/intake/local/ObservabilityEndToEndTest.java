package dev.intake.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import dev.intake.contracts.Topics;
import dev.intake.local.IntakeClient.Upload;
import dev.intake.testsupport.TestImages;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator sees of the pipeline, over the real stack: every metric the operations guide
 * names is in the Prometheus scrape of its service's management port (no credential) after one
 * batch (with a callback URL, so a webhook is delivered); a submit, its jobs, their results and
 * the worker's log lines share one trace id; a batch says how many jobs wait ahead of it. The stack has one worker thread so a held item keeps the
 * queue still (the last test holds it until the stack stops).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityEndToEndTest {

	private static final String HELD = "held.png";

	/** A metric row of docs/operations.md: | `name` | service | ... */
	private static final Pattern METRIC_ROW = Pattern.compile("^\\| `([a-z_]+)` \\| (api|worker|status) \\|",
			Pattern.MULTILINE);

	@TempDir
	static Path dataDir;

	static HttpServer origin;

	static byte[] served = TestImages.unique().png(40, 30);

	/** Webhook deliveries the origin's {@code /done} received. */
	static final AtomicInteger callbacks = new AtomicInteger();

	static LocalIntake intake;

	static IntakeClient client;

	static final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void start() throws Exception {
		origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		origin.createContext("/photo.png", exchange -> {
			exchange.getResponseHeaders().add("Content-Type", "image/png");
			exchange.sendResponseHeaders(200, served.length);
			exchange.getResponseBody().write(served);
			exchange.close();
		});
		origin.createContext("/done", exchange -> {
			exchange.getRequestBody().readAllBytes();
			callbacks.incrementAndGet();
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		origin.start();
		intake = LocalStacks.withLoopbackOrigin(dataDir, origin, "--intake.worker.jobs.concurrency=1",
				"--intake.webhooks.allow-loopback=true",
				"--intake.webhooks.allowed-ports=80,443," + origin.getAddress().getPort(),
				"--intake.worker.fault-injection.hold-decode-of=" + HELD,
				"--intake.status.queue.refresh-interval=200ms",
				// the held job is interrupted at the stop after a second, not after the default grace
				"--intake.worker.jobs.shutdown-grace=1s");
		client = LocalStacks.clientOf(intake);
	}

	@AfterAll
	static void stop() {
		LocalStacks.stop(intake, origin);
	}

	@Test
	@Order(1)
	void afterOneBatchEveryDocumentedMetricIsInTheScrapeOfItsServiceWithoutACredential() throws Exception {
		String originUrl = "http://127.0.0.1:" + origin.getAddress().getPort();
		String body = """
				{"batch_id": "metrics-e2e", "callback_url": "%s/done", "items": [
				  {"type": "base64", "data": "data:image/jpeg;base64,%s", "image_name": "inline.jpg"},
				  {"type": "base64", "data": "data:image/png;base64,%s", "image_name": "broken.png"},
				  {"type": "url", "url": "%s/photo.png", "image_name": "fetched.png"},
				  {"type": "url", "url": "%s/missing.png", "image_name": "missing.png"}
				]}""".formatted(originUrl, Base64.getEncoder().encodeToString(TestImages.unique().jpeg(640, 480)),
				Base64.getEncoder().encodeToString("not an image at all".getBytes(StandardCharsets.US_ASCII)),
				originUrl, originUrl);
		var submitted = client.send(HttpRequest.newBuilder(URI.create(intake.settings().baseUrl() + "/batch-upload/submit"))
			.header("Authorization", "Bearer " + intake.settings().apiToken())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
		assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(200);
		JsonNode done = client.awaitCompletion("metrics-e2e", Duration.ofMinutes(3));
		assertThat(done.get("success_count").asInt()).isEqualTo(2);
		assertThat(done.get("failed_count").asInt()).isEqualTo(2);
		assertThat(done.has("queued_ahead")).as("a finished batch waits nowhere").isFalse();
		await().atMost(Duration.ofMinutes(2)).until(() -> callbacks.get() > 0);

		Map<String, String> documented = documentedMetrics();
		assertThat(documented.values()).contains("api", "worker", "status");
		Map<String, String> scrapes = new LinkedHashMap<>();
		for (String service : List.of("api", "worker", "status")) {
			// the lag gauges are read every 200 ms: wait for a scrape that has them all
			await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
				HttpResponse<String> scrape = scrape(service);
				assertThat(scrape.statusCode()).isEqualTo(200);
				scrapes.put(service, scrape.body());
				documented.forEach((name, owner) -> {
					if (owner.equals(service)) {
						assertThat(hasSeries(scrape.body(), name)).as(name + " in the scrape of the " + service + "-service")
							.isTrue();
					}
				});
			});
		}
		assertThat(scrapes.get("api")).contains("intake_items_accepted_total{kind=\"url\",tenant=\"local\"} 2.0");
		assertThat(scrapes.get("worker")).contains("intake_items_failed_total{code=\"FETCH_FAILED\",tenant=\"local\"}",
				"intake_fetch_requests_total{outcome=\"ok\"}",
				"intake_webhook_deliveries_total{outcome=\"delivered\",tenant=\"local\"}");
		// the public port serves no actuator
		HttpResponse<String> publicScrape = http.send(HttpRequest.newBuilder(
				URI.create("http://127.0.0.1:" + intake.settings().apiPort() + "/actuator/prometheus"))
			.header("Authorization", "Bearer " + intake.settings().apiToken())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(publicScrape.statusCode()).isEqualTo(404);
	}

	@Test
	@Order(2)
	void aSubmitItsJobsTheirResultsAndTheWorkersLogLinesShareOneTraceId(CapturedOutput output) throws Exception {
		var submitted = client.submitWithFiles(List.of(new Upload("one.png", "image/png", TestImages.unique().png(30, 20)),
				new Upload("two.jpg", "image/jpeg", TestImages.unique().jpeg(30, 20))), List.of(), "traced");
		assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(200);
		client.awaitCompletion("traced", Duration.ofMinutes(3));

		List<String> jobTraces = traceIds(Topics.JOBS.name(), record -> record.value().contains("\"traced\""), 2);
		assertThat(jobTraces).hasSize(2);
		String traceId = jobTraces.get(0);
		assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
		assertThat(jobTraces).containsOnly(traceId);
		List<String> resultTraces = traceIds(Topics.RESULTS.name(), record -> "local/traced".equals(record.key()), 2);
		assertThat(resultTraces).hasSize(2).containsOnly(traceId);
		await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(output.getOut().lines()
			.filter(line -> line.contains("Stored item") && line.contains("batch=traced"))
			.filter(line -> line.contains(traceId))
			.count()).isEqualTo(2));
		assertThat(output.getOut().lines().filter(line -> line.contains("Accepted batch local/traced")))
			.as("the api-service's log line of the submit").singleElement().asString().contains(traceId);
	}

	@Test
	@Order(3)
	void aBatchSaysHowManyJobsAreQueuedAheadOfIt(CapturedOutput output) throws Exception {
		Instant before = Instant.now();
		var held = client.submitWithFiles(List.of(new Upload(HELD, "image/png", TestImages.unique().png(30, 20)),
				new Upload("a2.png", "image/png", TestImages.unique().png(31, 20)),
				new Upload("a3.png", "image/png", TestImages.unique().png(32, 20))), List.of(), "held-batch");
		assertThat(held.status()).as(held.body().toString()).isEqualTo(200);
		await().atMost(Duration.ofMinutes(2)).until(() -> output.getOut().contains("Holding the decode of " + HELD));
		var waiting = client.submitWithFiles(List.of(new Upload("b.png", "image/png", TestImages.unique().png(33, 20))),
				List.of(), "waiting-batch");
		assertThat(waiting.status()).as(waiting.body().toString()).isEqualTo(200);

		JsonNode status = await().atMost(Duration.ofMinutes(2)).until(() -> client.status("waiting-batch").body().get("data"),
				data -> data.has("queued_ahead") && data.get("queued_ahead").asLong() >= 3);
		// the held item and the two behind it, none of them taken by the one worker thread (each
		// transaction's commit marker may add one per partition)
		assertThat(status.get("queued_ahead").asLong()).isBetween(3L, 3L + 12);
		assertThat(status.get("status").asString()).isNotEqualTo("TASK_SUCCEEDED");
		assertThat(status.get("processed_count").asInt()).isZero();
		if (status.has("estimated_completion")) {
			assertThat(Instant.parse(status.get("estimated_completion").asString())).isAfter(before);
		}
		// the live events say it too
		HttpResponse<java.util.stream.Stream<String>> events = http.send(HttpRequest
			.newBuilder(URI.create(intake.settings().baseUrl() + "/batch-upload/status/waiting-batch/events"))
			.header("Authorization", "Bearer " + intake.settings().apiToken())
			.build(), HttpResponse.BodyHandlers.ofLines());
		assertThat(events.statusCode()).isEqualTo(200);
		try (java.util.stream.Stream<String> lines = events.body()) {
			String data = lines.filter(line -> line.startsWith("data:")).findFirst().orElseThrow();
			assertThat(data).contains("\"queued_ahead\":");
		}
		JsonNode first = client.status("held-batch").body().get("data");
		assertThat(first.get("queued_ahead").asLong()).as("nothing published before it is left")
			.isLessThan(status.get("queued_ahead").asLong());
	}

	/** Metric names of the table in docs/operations.md, with the service whose scrape has them. */
	static Map<String, String> documentedMetrics() throws IOException {
		String guide = Files.readString(ConfigurationDocs.repositoryRoot().resolve("docs").resolve("operations.md"));
		Map<String, String> metrics = new LinkedHashMap<>();
		Matcher row = METRIC_ROW.matcher(guide);
		while (row.find()) {
			metrics.put(row.group(1), row.group(2));
		}
		return metrics;
	}

	private static boolean hasSeries(String scrape, String name) {
		return scrape.lines().anyMatch(line -> line.startsWith(name + "{") || line.startsWith(name + " "));
	}

	private static HttpResponse<String> scrape(String service) throws IOException, InterruptedException {
		int port = intake.managementPort(service + "-service");
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The trace ids in the traceparent headers of the records of {@code topic} that match. */
	private static List<String> traceIds(String topic, Predicate<ConsumerRecord<String, String>> wanted,
			int expected) {
		try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				intake.kafkaBootstrapServers(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.GROUP_ID_CONFIG,
				"observability-test-" + topic), new StringDeserializer(), new StringDeserializer())) {
			consumer.subscribe(List.of(topic));
			List<String> found = new ArrayList<>();
			await().atMost(Duration.ofMinutes(2)).until(() -> {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					if (wanted.test(record)) {
						Header traceparent = record.headers().lastHeader("traceparent");
						found.add((traceparent != null)
								? new String(traceparent.value(), StandardCharsets.US_ASCII).split("-")[1] : "none");
					}
				}
				return found.size() >= expected;
			});
			return found;
		}
	}

}
