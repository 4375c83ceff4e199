package dev.intake.status;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import dev.intake.contracts.BatchCompleted;
import dev.intake.contracts.BatchRetried;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.EventType;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.Topic;
import dev.intake.contracts.Topics;
import dev.intake.status.events.EventSchemas;
import dev.intake.status.events.IntakeEventsConsumer;
import dev.intake.status.progress.BatchProgress;
import dev.intake.status.progress.BatchProgressTopology;
import dev.intake.status.progress.Batches;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static dev.intake.status.progress.Batches.aBatchOf;
import static dev.intake.status.progress.Batches.failed;
import static dev.intake.status.progress.Batches.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two status-service instances, started the way the local launcher starts them, over a real
 * single-node broker: read-your-writes right after a transactional submit, genuine misses,
 * results, forwarding between instances, live progress, item and completion events, a third instance
 * stopped mid-batch, actuator.
 */
class StatusServiceIntegrationTest {

	/**
	 * Longest wait for the instances to start, a rebalance to settle or a change to show: Streams
	 * start-up and rebalances take far longer on a busy machine. Only a failing run waits this long.
	 */
	private static final Duration PATIENCE = Duration.ofMinutes(2);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@TempDir
	static Path stateDir;

	static EmbeddedKafkaKraftBroker broker;

	static List<StatusInstance> instances = new ArrayList<>();

	static KafkaProducer<String, Object> api;

	@BeforeAll
	static void start() throws Exception {
		broker = new EmbeddedKafkaKraftBroker(1, 1);
		broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr",
				"1", "offsets.topic.replication.factor", "1", "group.initial.rebalance.delay.ms", "0"));
		broker.afterPropertiesSet();
		instances.add(start("a"));
		instances.add(start("b"));
		awaitUntil(() -> instances.stream().allMatch(StatusInstance::running), "both instances running");
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
		for (int i = 0; i < 100; i++) {
			BatchSubmitted batch = aBatchOf("acme", "ryw-" + i, 2);
			publish(Topics.BATCHES, batch.key().toString(), batch);
			StatusInstance asked = instances.get(i % 2);

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

		for (StatusInstance instance : instances) {
			for (String unknown : List.of("nope-1", "nope-2", "nope-3", "nope-4", "known")) {
				String tenant = unknown.equals("known") ? "other-tenant" : "acme";
				// a look-up that waited out the read-your-writes timeout would answer 503, again and again
				HttpResponse<String> response = getUntil(instance, tenant, unknown, r -> r.statusCode() != 503);
				assertThat(response.statusCode()).isEqualTo(404);
				assertThat(response.body())
					.isEqualTo("{\"code\":1203,\"message\":\"Batch ID does not exist or has expired.\"}");
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
	void retryableItemsCarryTheirSourcesFromEitherInstanceAndARetryRoundMakesThemPending() throws Exception {
		BatchSubmitted batch = aBatchOf("acme", "retryable", 3);
		publish(Topics.BATCHES, batch.key().toString(), batch);
		publish(Topics.RESULTS, batch.key().toString(), stored(batch, 0));
		publish(Topics.RESULTS, batch.key().toString(), failed(batch, 1));
		publish(Topics.RESULTS, batch.key().toString(), new ItemResult.ImageFailed("acme", "retryable",
				"acme/retryable/2", 2, 1, "RETRIES_EXHAUSTED", "storage was unavailable", Instant.now()));
		getUntil(instances.get(0), "acme", "retryable", r -> r.body().contains("\"processed_count\":3"));

		for (StatusInstance instance : instances) {
			HttpResponse<String> response = send(instance, "/internal/batches/acme/retryable/retryable", false);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			JsonNode data = json.readTree(response.body()).get("data");
			assertThat(data.get("status").asString()).isEqualTo("TASK_SUCCEEDED");
			assertThat(data.get("retry_round").asInt()).isZero();
			assertThat(data.get("failed_count").asInt()).isEqualTo(2);
			// item 1 failed TOO_LARGE: its bytes would fail again, so only item 2 is retryable
			assertThat(data.get("items")).hasSize(1);
			JsonNode item = data.get("items").get(0);
			assertThat(item.get("index").asInt()).isEqualTo(2);
			assertThat(item.get("error_code").asString()).isEqualTo("RETRIES_EXHAUSTED");
			assertThat(item.get("source").get("kind").asString()).isEqualTo("staged");
			assertThat(item.get("source").get("blob").get("key").asString())
				.isEqualTo("staging/acme/up-1/2");
		}
		assertThat(send(instances.get(1), "/internal/batches/acme/nope/retryable", false).statusCode())
			.isEqualTo(404);

		publish(Topics.BATCHES, batch.key().toString(),
				new BatchRetried("acme", "retryable", 1, List.of(2), Instant.now()));

		HttpResponse<String> retrying = getUntil(instances.get(1), "acme", "retryable",
				r -> r.body().contains("\"status\":\"TASK_PROCESSING\""));
		JsonNode data = json.readTree(retrying.body()).get("data");
		assertThat(data.get("processed_count").asInt()).isEqualTo(2);
		assertThat(data.get("failed_count").asInt()).isEqualTo(1);
		JsonNode after = json.readTree(send(instances.get(0), "/internal/batches/acme/retryable/retryable", false)
			.body()).get("data");
		assertThat(after.get("retry_round").asInt()).isEqualTo(1);
		assertThat(after.get("items")).isEmpty();
	}

	@Test
	void anInternalBatchIsTrackedButAnsweredAsUnknownAndNeverAnnounced() throws Exception {
		BatchSubmitted batch = Batches.internal(aBatchOf("acme", "vault-internal", 2));
		String key = batch.key().toString();
		int partition = partitionOf(key);
		String afterId = null;
		for (int i = 0; afterId == null; i++) {
			afterId = (partitionOf("acme/after-internal-" + i) == partition) ? "after-internal-" + i : null;
		}
		BatchSubmitted after = aBatchOf("acme", afterId, 1);
		publishAll(key, List.of(batch));
		publishAll(key, List.of(stored(batch, 0), failed(batch, 1)));
		publishAll(after.key().toString(), List.of(after));
		publishAll(after.key().toString(), List.of(stored(after, 0)));

		// the batch after it on the same partition is announced: whatever the internal one announced is committed
		completionEventsOf(after.key().toString());
		assertThat(committedEventsOf(key, type -> true)).isEmpty();
		BatchProgress tracked = await("the internal batch in the store").atMost(PATIENCE)
			.ignoreExceptions()
			.until(() -> ownerOf(key).streams()
				.store(StoreQueryParameters.fromNameAndType(BatchProgressTopology.STORE,
						QueryableStoreTypes.<String, BatchProgress>keyValueStore()))
				.get(key), Objects::nonNull);
		assertThat(tracked.internal()).isTrue();
		assertThat(tracked.complete()).isTrue();
		for (StatusInstance instance : instances) {
			HttpResponse<String> status = getUntil(instance, "acme", batch.batchId(), r -> r.statusCode() != 503);
			assertThat(status.statusCode()).isEqualTo(404);
			assertThat(status.body())
				.isEqualTo("{\"code\":1203,\"message\":\"Batch ID does not exist or has expired.\"}");
			HttpResponse<String> retryable = await().atMost(PATIENCE)
				.until(() -> send(instance, "/internal/batches/acme/" + batch.batchId() + "/retryable", false),
						r -> r.statusCode() != 503);
			assertThat(retryable.statusCode()).isEqualTo(404);
			try (EventStreamClient live = events(instance, "acme", batch.batchId())) {
				assertThat(live.status()).isIn(404, 503);
				if (live.status() == 404) {
					assertThat(live.nextEvent(PATIENCE)).contains("\"code\":1203");
				}
			}
		}
	}

	private static int partitionOf(String key) {
		return instances.get(0)
			.streams()
			.queryMetadataForKey(BatchProgressTopology.STORE, key, Serdes.String().serializer())
			.partition();
	}

	private static StatusInstance ownerOf(String key) {
		int port = instances.get(0)
			.streams()
			.queryMetadataForKey(BatchProgressTopology.STORE, key, Serdes.String().serializer())
			.activeHost()
			.port();
		return instances.stream().filter(instance -> instance.port() == port).findFirst().orElseThrow();
	}

	@Test
	void aForwardedLookUpIsNeverForwardedAgain() throws Exception {
		StatusInstance first = instances.get(0);
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
	void liveProgressStreamsEveryChangeFromEitherInstanceAndEndsWhenTheBatchIsDone() throws Exception {
		BatchSubmitted batch = aBatchOf("acme", "live", 3);
		String key = batch.key().toString();
		publish(Topics.BATCHES, key, batch);
		getUntil(instances.get(0), "acme", "live", r -> r.statusCode() == 200);

		try (EventStreamClient viaA = events(instances.get(0), "acme", "live");
				EventStreamClient viaB = events(instances.get(1), "acme", "live")) {
			List<EventStreamClient> clients = List.of(viaA, viaB);
			for (EventStreamClient client : clients) {
				assertThat(client.status()).isEqualTo(200);
				assertThat(client.contentType()).startsWith("text/event-stream");
				assertThat(dataOf(client.nextEvent(PATIENCE)).get("status").asString()).isEqualTo("TASK_PENDING");
				assertThat(client.next(PATIENCE)).as("a heartbeat while idle").isEqualTo(":heartbeat");
			}

			publish(Topics.RESULTS, key, stored(batch, 0));
			for (EventStreamClient client : clients) {
				assertThat(dataOf(client.nextEvent(PATIENCE)).get("processed_count").asInt()).isEqualTo(1);
			}
			publish(Topics.RESULTS, key, stored(batch, 0));
			publish(Topics.RESULTS, key, failed(batch, 1));
			for (EventStreamClient client : clients) {
				JsonNode data = dataOf(client.nextEvent(PATIENCE));
				assertThat(data.get("processed_count").asInt()).as("the duplicate is no change").isEqualTo(2);
				assertThat(data.get("status").asString()).isEqualTo("TASK_PROCESSING");
			}
			publish(Topics.RESULTS, key, stored(batch, 2));
			for (EventStreamClient client : clients) {
				JsonNode last = dataOf(client.nextEvent(PATIENCE));
				JsonNode answered = json.readTree(get(instances.get(1), "acme", "live", false).body()).get("data");
				assertThat(last).as("the same data as the status answer").isEqualTo(answered);
				assertThat(last.get("status").asString()).isEqualTo("TASK_SUCCEEDED");
				assertThat(client.nextEvent(PATIENCE)).isEqualTo(EventStreamClient.END);
			}
		}

		try (EventStreamClient late = events(instances.get(1), "acme", "live")) {
			JsonNode first = dataOf(late.nextEvent(PATIENCE));
			assertThat(first.get("processed_count").asInt()).isEqualTo(3);
			assertThat(late.nextEvent(PATIENCE)).isEqualTo(EventStreamClient.END);
		}
		assertThat(completionEventsOf(key)).as("one batch.completed").hasSize(1);
	}

	@Test
	void theLiveProgressOfAnUnknownBatchIs1203() throws Exception {
		for (StatusInstance instance : instances) {
			try (EventStreamClient client = events(instance, "acme", "never-submitted")) {
				assertThat(client.status()).isIn(404, 503);
				if (client.status() == 404) {
					assertThat(client.nextEvent(PATIENCE)).contains("\"code\":1203");
				}
			}
		}
	}

	@Test
	void whenAnInstanceStopsMidBatchTheOthersAnswerEveryBatchWithExactCounts() throws Exception {
		StatusInstance leaving = start("c", OwnNettyResources.class);
		awaitUntil(leaving::running, "the third instance running");
		awaitUntil(() -> instances.stream().allMatch(StatusInstance::running), "all instances running after the join");
		List<BatchSubmitted> batches = new ArrayList<>();
		int ownedByLeaving = 0;
		for (int i = 0; batches.size() < 8 || ownedByLeaving < 2; i++) {
			BatchSubmitted batch = aBatchOf("acme", "failover-" + i, 4);
			boolean leavingOwnsIt = leaving.streams()
				.queryMetadataForKey(BatchProgressTopology.STORE, batch.key().toString(), Serdes.String().serializer())
				.activeHost()
				.port() == leaving.port();
			if (batches.size() < 8 || leavingOwnsIt) {
				batches.add(batch);
				ownedByLeaving += leavingOwnsIt ? 1 : 0;
			}
		}
		for (BatchSubmitted batch : batches) {
			String key = batch.key().toString();
			publish(Topics.BATCHES, key, batch);
			publish(Topics.RESULTS, key, stored(batch, 0));
			publish(Topics.RESULTS, key, failed(batch, 1));
		}
		for (BatchSubmitted batch : batches) {
			HttpResponse<String> before = getUntil(leaving, "acme", batch.batchId(),
					r -> r.body().contains("\"processed_count\":2"));
			assertThat(before.body()).contains("\"processed_count\":2");
		}

		leaving.context().close();
		for (BatchSubmitted batch : batches) {
			String key = batch.key().toString();
			// redelivered results beside the new ones
			publish(Topics.RESULTS, key, stored(batch, 0));
			publish(Topics.RESULTS, key, stored(batch, 2));
			publish(Topics.RESULTS, key, failed(batch, 1));
			publish(Topics.RESULTS, key, stored(batch, 3));
		}

		for (BatchSubmitted batch : batches) {
			for (StatusInstance instance : instances) {
				JsonNode data = awaitExactCounts(instance, batch);
				assertThat(data.get("total_count").asInt()).isEqualTo(4);
				assertThat(data.get("success_count").asInt()).isEqualTo(3);
				assertThat(data.get("failed_count").asInt()).isEqualTo(1);
				assertThat(data.get("status").asString()).isEqualTo("TASK_SUCCEEDED");
			}
		}
		for (BatchSubmitted batch : batches) {
			assertThat(completionEventsOf(batch.key().toString())).as("one batch.completed for %s", batch.batchId())
				.hasSize(1);
		}
	}

	/**
	 * Polls until the batch shows all 4 items processed. Meanwhile, "retry" (503 with
	 * Retry-After) is fine; a 1203, or counts below what was already committed before the stop
	 * (2 processed) or above the total, are not.
	 */
	private static JsonNode awaitExactCounts(StatusInstance instance, BatchSubmitted batch) {
		return await("exact counts of " + batch.batchId()).atMost(PATIENCE)
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> exactCounts(instance, batch), Objects::nonNull);
	}

	/** The batch's status data once all 4 items are counted, {@code null} before. */
	private static JsonNode exactCounts(StatusInstance instance, BatchSubmitted batch) throws Exception {
		HttpResponse<String> response = get(instance, "acme", batch.batchId(), false);
		assertThat(response.statusCode()).as("%s from %s: %s", batch.batchId(), instance.port(), response.body())
			.isIn(200, 503);
		if (response.statusCode() == 503) {
			assertThat(response.headers().firstValue("Retry-After")).isPresent();
		}
		else {
			JsonNode data = json.readTree(response.body()).get("data");
			int processed = data.get("processed_count").asInt();
			assertThat(processed).as("never stale, never above the total").isBetween(2, 4);
			assertThat(data.get("success_count").asInt() + data.get("failed_count").asInt()).isEqualTo(processed);
			if (processed == 4) {
				return data;
			}
		}
		return null;
	}

	@Test
	void aBatchOf300PublishesAnEventPerItemInOrderThenItsCompletion() throws Exception {
		BatchSubmitted batch = aBatchOf("acme", "events-300", 300);
		String key = batch.key().toString();
		List<ItemResult> outcomes = new ArrayList<>();
		for (int index = 0; index < 300; index++) {
			outcomes.add((index % 10 == 3) ? failed(batch, index) : stored(batch, index));
		}
		publishAll(key, List.of(batch));
		publishAll(key, outcomes);
		publishAll(key, outcomes.subList(0, 50));

		EventSchemas schemas = new EventSchemas();
		List<CloudEvent> received = new ArrayList<>();
		try (IntakeEventsConsumer subscriber = new IntakeEventsConsumer(broker.getBrokersAsString(), "test-300")) {
			await("the completion of " + key).atMost(PATIENCE)
				.pollDelay(Duration.ZERO)
				.until(() -> {
					subscriber.poll(Duration.ofMillis(200), record -> {
						if (record.key().equals(key)) {
							received.add(record.value());
						}
					});
					return received.stream().anyMatch(event -> event.getType().equals(BatchCompleted.TYPE));
				});
		}

		assertThat(received).hasSize(301);
		assertThat(received.get(300).getType()).isEqualTo(EventType.BATCH_COMPLETED.type());
		List<CloudEvent> items = received.subList(0, 300);
		assertThat(items).extracting(event -> json.readTree(event.getData().toBytes()).get("index").asInt())
			.as("in the order the results were processed")
			.containsExactlyElementsOf(IntStream.range(0, 300).boxed().toList());
		assertThat(items).filteredOn(event -> event.getType().equals(EventType.ITEM_FAILED.type())).hasSize(30);
		assertThat(items).filteredOn(event -> event.getType().equals(EventType.ITEM_STORED.type())).hasSize(270);
		assertThat(received).extracting(CloudEvent::getId).doesNotHaveDuplicates();
		for (CloudEvent event : received) {
			assertThat(event.getExtension("tenant")).isEqualTo("acme");
			assertThat(event.getDataSchema()).hasToString(EventSchemas.typeOf(event).dataschema());
			assertThat(schemas.violations(event)).as("data of %s", event.getId()).isEmpty();
		}
		JsonNode completion = json.readTree(received.get(300).getData().toBytes());
		assertThat(completion.get("successCount").asInt()).isEqualTo(270);
		assertThat(completion.get("failedCount").asInt()).isEqualTo(30);
		JsonNode file = json.readTree(items.get(0).getData().toBytes()).get("file");
		assertThat(file.get("url").asString()).isEqualTo("http://cdn.test/" + stored(batch, 0).image().key());
	}

	@Test
	void streamsIsConfiguredFromTheLaunchersSettings() {
		StatusInstance instance = instances.get(0);
		var config = instance.context().getBean(StreamsBuilderFactoryBean.class).getStreamsConfiguration();

		assertThat(config.get("bootstrap.servers").toString()).contains(broker.getBrokersAsString());
		assertThat(config).containsEntry("application.id", "intake-status")
			.containsEntry("processing.guarantee", "exactly_once_v2")
			.containsEntry("application.server", "127.0.0.1:" + instance.port())
			.containsEntry("state.dir", stateDir.resolve("a").toString())
			.containsEntry("num.standby.replicas", "0");
		assertThat(config.get("replication.factor").toString()).isEqualTo("1");
		assertThat(config.get("statestore.cache.max.bytes").toString()).isEqualTo(Long.toString(16L * 1024 * 1024));
	}

	@Test
	void actuatorAnswersOnTheManagementPortOnly() throws Exception {
		StatusInstance instance = instances.get(0);
		assertThat(management(instance, "/actuator/health/liveness").statusCode()).isEqualTo(200);
		HttpResponse<String> prometheus = management(instance, "/actuator/prometheus");
		assertThat(prometheus.statusCode()).isEqualTo(200);
		assertThat(prometheus.body()).contains("jvm_", "intake_consumer_lag{group=\"intake-workers\"}",
				"intake_consumer_lag{group=\"intake-status\"}", "intake_jobs_rate ");
		assertThat(send(instance, "/actuator/health/liveness", false).statusCode()).isEqualTo(404);
		// readiness has streams beside kafka and s3 (no S3 here, so readiness itself is down)
		JsonNode readiness = json.readTree(management(instance, "/actuator/health/readiness").body());
		assertThat(readiness.get("components").get("streams").get("status").asString()).isEqualTo("UP");
		assertThat(readiness.get("components").get("kafka").get("status").asString()).isEqualTo("UP");
		assertThat(readiness.get("components").has("s3")).isTrue();
	}

	private static EventStreamClient events(StatusInstance instance, String tenant, String batchId) throws Exception {
		return EventStreamClient.open(http,
				URI.create("http://127.0.0.1:" + instance.port() + "/internal/batches/" + tenant + "/" + batchId
						+ "/events"));
	}

	private static JsonNode dataOf(String event) {
		assertThat(event).startsWith("event:status\ndata:");
		return json.readTree(event.substring(event.indexOf("data:") + "data:".length()));
	}

	/**
	 * The committed completion events of a batch, once there is one: the store shows a change
	 * before the exactly-once commit (up to commit.interval.ms later) makes its event visible.
	 */
	private static List<ConsumerRecord<String, String>> completionEventsOf(String key) {
		return await("a committed completion event of " + key).atMost(PATIENCE)
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> committedEventsOf(key), found -> !found.isEmpty());
	}

	/** The committed completion events of a batch: intake.events read up to its last stable offset. */
	private static List<ConsumerRecord<String, String>> committedEventsOf(String key) {
		return committedEventsOf(key, BatchCompleted.TYPE::equals);
	}

	/** The committed events of a batch whose {@code ce_type} matches, read up to the last stable offset. */
	private static List<ConsumerRecord<String, String>> committedEventsOf(String key, Predicate<String> type) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		List<ConsumerRecord<String, String>> found = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS)
				.stream()
				.map(info -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			long deadline = System.nanoTime() + PATIENCE.toNanos();
			while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
				assertThat(System.nanoTime()).as("reading intake.events").isLessThan(deadline);
				consumer.poll(Duration.ofMillis(100)).forEach(record -> {
					if (record.key().equals(key) && type
						.test(new String(record.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))) {
						found.add(record);
					}
				});
			}
		}
		return found;
	}

	/** Submissions or results, all under one key, in one transaction. */
	private static void publishAll(String key, List<?> values) {
		api.beginTransaction();
		for (Object value : values) {
			String topic = (value instanceof ItemResult) ? Topics.RESULTS.name() : Topics.BATCHES.name();
			api.send(new ProducerRecord<>(topic, key, value));
		}
		api.commitTransaction();
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
		if (value instanceof BatchRetried retry) {
			return Topics.BATCH_RECORDS.valueSerde().serializer().serialize(topic, retry);
		}
		return Topics.RESULTS.valueSerde().serializer().serialize(topic, (ItemResult) value);
	}

	private static HttpResponse<String> getUntil(StatusInstance instance, String tenant, String batchId,
			Predicate<HttpResponse<String>> done) {
		return await("status of " + tenant + "/" + batchId).atMost(PATIENCE)
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> get(instance, tenant, batchId, false), response -> {
				assertThat(response.statusCode()).as("status of %s/%s: %s", tenant, batchId, response.body())
					.isIn(200, 404, 503);
				return done.test(response);
			});
	}

	private static HttpResponse<String> get(StatusInstance instance, String tenant, String batchId, boolean forwarded)
			throws Exception {
		return send(instance, "/internal/batches/" + tenant + "/" + batchId, forwarded);
	}

	private static HttpResponse<String> management(StatusInstance instance, String path) throws Exception {
		String port = instance.context().getEnvironment().getRequiredProperty("local.management.port");
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> send(StatusInstance instance, String path, boolean forwarded) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + path))
			.timeout(Duration.ofSeconds(20));
		if (forwarded) {
			request.header("X-Intake-Forwarded", "true");
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static void awaitUntil(BooleanSupplier condition, String what) {
		await(what).atMost(PATIENCE)
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(100))
			.until(condition::getAsBoolean);
	}

	/**
	 * Event loops of its own for an instance the test stops: the shared (global) Reactor Netty
	 * resources are disposed when the context that uses them closes, which would take the other
	 * instances in this JVM down with it.
	 */
	@Configuration(proxyBeanMethods = false)
	static class OwnNettyResources {

		@Bean
		ReactorResourceFactory reactorResourceFactory() {
			ReactorResourceFactory resources = new ReactorResourceFactory();
			resources.setUseGlobalResources(false);
			return resources;
		}

	}

	private static StatusInstance start(String name, Class<?>... extraConfiguration) throws IOException {
		return StatusInstance.start(broker, stateDir, name, List.of(extraConfiguration),
				"--intake.images.public-base-url=http://cdn.test/",
				"--management.endpoint.health.show-components=always", "--intake.status.events.heartbeat=300ms",
				// a relayed stream is cut after this much silence: no test here is about it, and heartbeats
				// (300 ms) held up for a few seconds on a busy machine must not end a stream a test reads
				"--intake.status.events.idle-timeout=60s",
				// the fixtures' batches were submitted on Batches.NOW, in the past
				"--intake.status.retention=3650d");
	}

}
