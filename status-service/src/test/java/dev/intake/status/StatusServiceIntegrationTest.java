package dev.intake.status;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.Topic;
import dev.intake.contracts.Topics;
import dev.intake.status.progress.BatchProgressTopology;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static dev.intake.status.progress.Batches.aBatchOf;
import static dev.intake.status.progress.Batches.failed;
import static dev.intake.status.progress.Batches.stored;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two status-service instances, started the way the local launcher starts them, over a real
 * single-node broker: read-your-writes right after a transactional submit, genuine misses,
 * results, forwarding between instances, actuator.
 */
class StatusServiceIntegrationTest {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@TempDir
	static Path stateDir;

	static EmbeddedKafkaKraftBroker broker;

	static List<Instance> instances = new ArrayList<>();

	static KafkaProducer<String, Object> api;

	@BeforeAll
	static void start() throws Exception {
		broker = new EmbeddedKafkaKraftBroker(1, 1);
		broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr",
				"1", "offsets.topic.replication.factor", "1", "group.initial.rebalance.delay.ms", "0"));
		broker.afterPropertiesSet();
		instances.add(Instance.start("a"));
		instances.add(Instance.start("b"));
		awaitUntil(() -> instances.stream().allMatch(Instance::running), "both instances running");
		api = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
				ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-api-service"), Serdes.String().serializer(),
				(topic, value) -> serialize(topic, value));
		api.initTransactions();
	}

	@AfterAll
	static void stop() {
		if (api != null) {
			api.close(Duration.ofSeconds(5));
		}
		instances.forEach(instance -> instance.context().close());
		if (broker != null) {
			broker.destroy();
		}
	}

	@Test
	void aBatchIsFoundRightAfterItsSubmitIsCommitted() throws Exception {
		for (int i = 0; i < 12; i++) {
			BatchSubmitted batch = aBatchOf("acme", "ryw-" + i, 2);
			publish(Topics.BATCHES, batch.key().toString(), batch);
			Instance asked = instances.get(i % 2);

			HttpResponse<String> response = getUntil(asked, "acme", batch.batchId(), r -> r.statusCode() != 503);

			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			JsonNode data = json.readTree(response.body()).get("data");
			assertThat(data.get("batch_id").asString()).isEqualTo(batch.batchId());
			assertThat(data.get("total_count").asInt()).isEqualTo(2);
			assertThat(data.get("status").asString()).isEqualTo("TASK_PENDING");
		}
	}

	@Test
	void anUnknownBatchIs1203WithoutWaitingOutTheTimeout() throws Exception {
		BatchSubmitted known = aBatchOf("acme", "known", 1);
		publish(Topics.BATCHES, known.key().toString(), known);
		getUntil(instances.get(0), "acme", "known", r -> r.statusCode() == 200);

		for (Instance instance : instances) {
			for (String unknown : List.of("nope-1", "nope-2", "nope-3", "nope-4", "known")) {
				String tenant = unknown.equals("known") ? "other-tenant" : "acme";
				long started = System.nanoTime();
				HttpResponse<String> response = getUntil(instance, tenant, unknown, r -> r.statusCode() != 503);
				assertThat(response.statusCode()).isEqualTo(404);
				assertThat(response.body())
					.isEqualTo("{\"code\":1203,\"message\":\"Batch ID does not exist or has expired.\"}");
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
			}
		}
	}

	@Test
	void resultsAreCountedOnceAndAnsweredTheSameByEveryInstance() throws Exception {
		BatchSubmitted batch = aBatchOf("acme", "results", 3);
		publish(Topics.BATCHES, batch.key().toString(), batch);
		publish(Topics.RESULTS, batch.key().toString(), stored(batch, 0));
		publish(Topics.RESULTS, batch.key().toString(), failed(batch, 1));
		publish(Topics.RESULTS, batch.key().toString(), stored(batch, 0));

		HttpResponse<String> response = getUntil(instances.get(0), "acme", "results",
				r -> r.statusCode() == 200 && r.body().contains("\"processed_count\":2"));
		JsonNode data = json.readTree(response.body()).get("data");
		assertThat(data.get("status").asString()).isEqualTo("TASK_PROCESSING");
		assertThat(data.get("success_count").asInt()).isEqualTo(1);
		assertThat(data.get("failed_count").asInt()).isEqualTo(1);
		assertThat(data.get("results").get(0).get("image_url").asString())
			.isEqualTo("http://cdn.test/" + stored(batch, 0).image().key());
		assertThat(data.get("results").get(1).get("error_message").asString())
			.isEqualTo("Image size from URL is 15.00MB, exceeds the maximum limit of 10MB.");
		assertThat(get(instances.get(1), "acme", "results", false).body()).isEqualTo(response.body());
	}

	@Test
	void aForwardedLookUpIsNeverForwardedAgain() throws Exception {
		Instance first = instances.get(0);
		String batchId = null;
		for (int i = 0; batchId == null; i++) {
			HostInfo owner = first.streams()
				.queryMetadataForKey(BatchProgressTopology.STORE, "acme/elsewhere-" + i, Serdes.String().serializer())
				.activeHost();
			batchId = (owner.port() != first.port()) ? "elsewhere-" + i : null;
		}

		HttpResponse<String> response = get(first, "acme", batchId, true);

		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(json.readTree(response.body()).get("code").asInt()).isEqualTo(1500);
	}

	@Test
	void streamsIsConfiguredFromTheLaunchersSettings() {
		Instance instance = instances.get(0);
		var config = instance.context().getBean(StreamsBuilderFactoryBean.class).getStreamsConfiguration();

		assertThat(config.get("bootstrap.servers").toString()).contains(broker.getBrokersAsString());
		assertThat(config).containsEntry("application.id", "intake-status")
			.containsEntry("processing.guarantee", "exactly_once_v2")
			.containsEntry("application.server", "127.0.0.1:" + instance.port())
			.containsEntry("state.dir", stateDir.resolve("a").toString())
			.containsEntry("num.standby.replicas", "0");
		assertThat(config.get("replication.factor").toString()).isEqualTo("1");
		assertThat(config.get("statestore.cache.max.bytes").toString()).isEqualTo("0");
	}

	@Test
	void actuatorAnswers() throws Exception {
		Instance instance = instances.get(0);
		assertThat(send(instance, "/actuator/health/liveness", false).statusCode()).isEqualTo(200);
		HttpResponse<String> prometheus = send(instance, "/actuator/prometheus", false);
		assertThat(prometheus.statusCode()).isEqualTo(200);
		assertThat(prometheus.body()).contains("jvm_");
		// readiness has streams beside kafka and s3 (no S3 here, so readiness itself is down)
		JsonNode readiness = json.readTree(send(instance, "/actuator/health/readiness", false).body());
		assertThat(readiness.get("components").get("streams").get("status").asString()).isEqualTo("UP");
		assertThat(readiness.get("components").get("kafka").get("status").asString()).isEqualTo("UP");
		assertThat(readiness.get("components").has("s3")).isTrue();
	}

	private static void publish(Topic<String, ?> topic, String key, Object value) {
		api.beginTransaction();
		api.send(new ProducerRecord<>(topic.name(), key, value));
		api.commitTransaction();
	}

	@SuppressWarnings("unchecked")
	private static byte[] serialize(String topic, Object value) {
		if (value instanceof BatchSubmitted batch) {
			return Topics.BATCHES.valueSerde().serializer().serialize(topic, batch);
		}
		return Topics.RESULTS.valueSerde().serializer().serialize(topic, (ItemResult) value);
	}

	private static HttpResponse<String> getUntil(Instance instance, String tenant, String batchId,
			Predicate<HttpResponse<String>> done) throws Exception {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (true) {
			HttpResponse<String> response = get(instance, tenant, batchId, false);
			assertThat(response.statusCode()).as("status of %s/%s: %s", tenant, batchId, response.body())
				.isIn(200, 404, 503);
			if (done.test(response) || System.nanoTime() > deadline) {
				return response;
			}
			Thread.sleep(50);
		}
	}

	private static HttpResponse<String> get(Instance instance, String tenant, String batchId, boolean forwarded)
			throws Exception {
		return send(instance, "/internal/batches/" + tenant + "/" + batchId, forwarded);
	}

	private static HttpResponse<String> send(Instance instance, String path, boolean forwarded) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + path))
			.timeout(Duration.ofSeconds(20));
		if (forwarded) {
			request.header("X-Intake-Forwarded", "true");
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static void awaitUntil(BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
			Thread.sleep(100);
		}
	}

	record Instance(ConfigurableApplicationContext context, int port) {

		static Instance start(String name) throws IOException {
			int port = freePort();
			ConfigurableApplicationContext context = StatusServiceApplication.application()
				.run("--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(), "--server.port=" + port,
						"--server.address=127.0.0.1", "--spring.kafka.streams.state-dir=" + stateDir.resolve(name),
						"--intake.images.public-base-url=http://cdn.test/", "--intake.topics.replication-factor=1",
						"--intake.topics.batch-partitions=4", "--intake.s3.endpoint=http://127.0.0.1:9",
						"--intake.s3.access-key=test", "--intake.s3.secret-key=test-secret",
						"--management.endpoint.health.show-components=always");
			return new Instance(context, port);
		}

		KafkaStreams streams() {
			return context.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
		}

		boolean running() {
			KafkaStreams streams = streams();
			return streams != null && streams.state() == KafkaStreams.State.RUNNING;
		}

		private static int freePort() throws IOException {
			try (ServerSocket socket = new ServerSocket(0)) {
				return socket.getLocalPort();
			}
		}

	}

}
