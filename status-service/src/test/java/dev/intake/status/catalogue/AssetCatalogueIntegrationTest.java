package dev.intake.status.catalogue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.intake.contracts.Asset;
import dev.intake.contracts.AssetLink;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.Topics;
import dev.intake.status.StatusInstance;
import dev.intake.status.lookup.PeerRelay;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static dev.intake.status.catalogue.AssetCatalogueTopologyTest.anUpload;
import static dev.intake.status.catalogue.AssetCatalogueTopologyTest.storedAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two status-service instances over a real single-node broker: an upload's asset is answered by
 * either instance right after its result is committed (never a 404 first), a replacement right
 * after its own result, unknown assets are 404, and {@code intake.assets} holds the same value.
 */
class AssetCatalogueIntegrationTest {

	/**
	 * Longest wait for the instances to start, a rebalance to settle or a change to show: Streams
	 * start-up and rebalances take far longer on a busy machine. Only a failing run waits this long.
	 */
	private static final Duration PATIENCE = Duration.ofMinutes(2);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

	@TempDir
	static Path stateDir;

	static EmbeddedKafkaKraftBroker broker;

	static final List<StatusInstance> instances = new ArrayList<>();

	static KafkaProducer<String, byte[]> api;

	@BeforeAll
	static void start() throws Exception {
		broker = new EmbeddedKafkaKraftBroker(1, 1);
		broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr",
				"1", "offsets.topic.replication.factor", "1", "group.initial.rebalance.delay.ms", "0"));
		broker.afterPropertiesSet();
		instances.add(start("a"));
		instances.add(start("b"));
		await().atMost(PATIENCE).until(() -> instances.stream().allMatch(StatusInstance::running));
		api = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
				ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-api-service-assets"), Serdes.String().serializer(),
				Serdes.ByteArray().serializer());
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
	void anUploadsAssetIsAnsweredByEitherInstanceRightAfterItsResultAndAReplacementRightAfterItsOwn()
			throws Exception {
		for (int i = 0; i < 6; i++) {
			long id = 100 + i;
			BatchSubmitted upload = anUpload("acme", "create-" + i, "logo-" + i + ".png",
					new AssetLink(id, false, "anqicms", Map.of("category_id", "3")));
			submitAndStore(upload, T);

			JsonNode created = dataOf(lookUp(instances.get(i % 2), "/internal/tenants/acme/assets/" + id + "?batch="
					+ upload.batchId()));
			assertThat(created.get("id").asLong()).isEqualTo(id);
			assertThat(created.get("tenant").asString()).isEqualTo("acme");
			assertThat(created.get("api").asString()).isEqualTo("anqicms");
			assertThat(created.get("attributes").get("category_id").asString()).isEqualTo("3");
			assertThat(created.get("originalName").asString()).isEqualTo("logo-" + i + ".png");
			assertThat(created.get("revision").asLong()).isEqualTo(1);
			assertThat(created.get("createdAt").asString()).isEqualTo(T.toString());
			assertThat(created.get("updatedAt").asString()).isEqualTo(T.toString());
			assertThat(created.get("batchId").asString()).isEqualTo(upload.batchId());
			assertThat(created.get("file").get("sha256").asString())
				.isEqualTo(storedAt(upload, 0, T).image().sha256());

			BatchSubmitted replace = anUpload("acme", "replace-" + i, "logo-" + i + "-v2.png",
					new AssetLink(id, true, "anqicms", Map.of()));
			submitAndStore(replace, T.plusSeconds(60));

			JsonNode replaced = dataOf(lookUp(instances.get((i + 1) % 2),
					"/internal/tenants/acme/assets/" + id + "?batch=" + replace.batchId()));
			assertThat(replaced.get("id").asLong()).isEqualTo(id);
			assertThat(replaced.get("revision").asLong()).isEqualTo(2);
			assertThat(replaced.get("createdAt").asString()).isEqualTo(T.toString());
			assertThat(replaced.get("updatedAt").asString()).isEqualTo(T.plusSeconds(60).toString());
			assertThat(replaced.get("batchId").asString()).isEqualTo(replace.batchId());
			assertThat(replaced.get("attributes").get("category_id").asString()).isEqualTo("3");
			assertThat(dataOf(lookUp(instances.get(i % 2), "/internal/tenants/acme/assets/" + id)))
				.as("the same from the other instance, without naming the upload")
				.isEqualTo(replaced);
		}
		Map<String, Asset> published = latestAssets();
		for (int i = 0; i < 6; i++) {
			Asset asset = published.get(Asset.key("acme", 100 + i));
			assertThat(asset.revision()).isEqualTo(2);
			assertThat(asset.batchId()).isEqualTo("replace-" + i);
		}
	}

	@Test
	void anUploadsAssetIsAnsweredRightAfterItsResultWithoutNamingTheUpload() throws Exception {
		// a client given the id by the upload's answer, asking at once (the nursery API's link)
		for (int i = 0; i < 6; i++) {
			long id = 300 + i;
			BatchSubmitted upload = anUpload("acme", "unnamed-" + i, "leaf-" + i + ".png",
					new AssetLink(id, false, "anqicms", Map.of()));
			submitAndStore(upload, T);

			JsonNode found = dataOf(lookUp(instances.get(i % 2), "/internal/tenants/acme/assets/" + id));
			assertThat(found.get("id").asLong()).isEqualTo(id);
			assertThat(found.get("batchId").asString()).isEqualTo(upload.batchId());
		}
	}

	@Test
	void unknownAssetsAndIdsThatCannotBeOnesAre404() throws Exception {
		BatchSubmitted upload = anUpload("acme", "known", "known.png", new AssetLink(7, false, "anqicms", Map.of()));
		submitAndStore(upload, T);
		dataOf(lookUp(instances.get(0), "/internal/tenants/acme/assets/7?batch=known"));

		for (StatusInstance instance : instances) {
			for (String path : List.of("/internal/tenants/acme/assets/8", "/internal/tenants/other/assets/7",
					"/internal/tenants/acme/assets/0", "/internal/tenants/acme/assets/abc",
					"/internal/tenants/acme/assets/99999999999999999", "/internal/tenants/acme/assets/7?batch=no%20such")) {
				HttpResponse<String> response = lookUp(instance, path);
				assertThat(response.statusCode()).as(path).isEqualTo(404);
				assertThat(response.body()).isEqualTo("{\"code\":1206,\"message\":\"Asset does not exist.\"}");
			}
		}
	}

	@Test
	void aFailedItemLeavesNoAsset() throws Exception {
		BatchSubmitted upload = anUpload("acme", "fails", "broken.png", new AssetLink(9, false, "anqicms", Map.of()));
		publish(Topics.BATCHES.name(), upload.key().toString(),
				Topics.BATCHES.valueSerde().serializer().serialize(Topics.BATCHES.name(), upload));
		ItemResult failed = new ItemResult.ImageFailed("acme", "fails", "acme/fails/0", 0, 1, "NOT_AN_IMAGE",
				"not an image", T);
		publish(Topics.RESULTS.name(), upload.key().toString(),
				Topics.RESULTS.valueSerde().serializer().serialize(Topics.RESULTS.name(), failed));

		for (StatusInstance instance : instances) {
			HttpResponse<String> response = lookUp(instance, "/internal/tenants/acme/assets/9?batch=fails");
			assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
		}
	}

	@Test
	void aForwardedLookUpIsNeverForwardedAgain() throws Exception {
		StatusInstance first = instances.get(0);
		long id = 1000;
		while (first.streams()
			.queryMetadataForKey(AssetCatalogueTopology.STORE, Asset.key("acme", id), Serdes.String().serializer())
			.activeHost()
			.port() == first.port()) {
			id++;
		}
		HttpRequest request = HttpRequest.newBuilder(URI.create(first.url("/internal/tenants/acme/assets/" + id)))
			.header(PeerRelay.FORWARDED_HEADER, "true")
			.build();

		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(json.readTree(response.body()).get("code").asInt()).isEqualTo(1500);
	}

	private static void submitAndStore(BatchSubmitted upload, Instant processedAt) {
		String key = upload.key().toString();
		publish(Topics.BATCHES.name(), key, Topics.BATCHES.valueSerde().serializer().serialize(Topics.BATCHES.name(),
				upload));
		publish(Topics.RESULTS.name(), key, Topics.RESULTS.valueSerde()
			.serializer()
			.serialize(Topics.RESULTS.name(), storedAt(upload, 0, processedAt)));
	}

	private static void publish(String topic, String key, byte[] value) {
		api.beginTransaction();
		api.send(new ProducerRecord<>(topic, key, value));
		api.commitTransaction();
	}

	/** The answer once the instances run: 503 only while a rebalance settles, never a 404 first. */
	private static HttpResponse<String> lookUp(StatusInstance instance, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(instance.url(path)))
			.timeout(Duration.ofSeconds(20))
			.build();
		List<HttpResponse<String>> answers = new ArrayList<>();
		await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			answers.add(response);
			return response.statusCode() != 503;
		});
		return answers.get(answers.size() - 1);
	}

	private static JsonNode dataOf(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = json.readTree(response.body());
		assertThat(body.get("code").asInt()).isEqualTo(200);
		assertThat(body.get("message").asString()).isEqualTo("success");
		return body.get("data");
	}

	/** The latest committed value per key of {@code intake.assets}. */
	private static Map<String, Asset> latestAssets() {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		Map<String, Asset> latest = new HashMap<>();
		try (KafkaConsumer<String, Asset> consumer = new KafkaConsumer<>(config, Topics.ASSETS.keySerde().deserializer(),
				Topics.ASSETS.valueSerde().deserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(Topics.ASSETS.name())
				.stream()
				.map(info -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			await().atMost(PATIENCE).until(() -> {
				consumer.poll(Duration.ofMillis(100)).forEach(record -> latest.put(record.key(), record.value()));
				return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
			});
		}
		return latest;
	}

	private static StatusInstance start(String name) throws IOException {
		return StatusInstance.start(broker, stateDir, name, List.of(), "--intake.status.retention=3650d");
	}

}
