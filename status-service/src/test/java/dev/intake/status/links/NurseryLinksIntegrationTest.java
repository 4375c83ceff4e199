package dev.intake.status.links;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.intake.contracts.NurseryLink;
import dev.intake.contracts.Topics;
import dev.intake.status.StatusInstance;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static dev.intake.status.links.NurseryLinksTopologyTest.aLink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two status-service instances over a real single-node broker: a link committed to
 * {@code intake.nursery-links} is listed by the very next look-up on either instance (a 503
 * while a rebalance settles, never a list without it), in link order, per tenant, nursery and batch.
 */
class NurseryLinksIntegrationTest {

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
				ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-api-service-links"), Serdes.String().serializer(),
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
	void everyCommittedLinkIsListedByTheNextLookUpOnEitherInstance() throws Exception {
		List<Long> expected = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			long file = 100 + i;
			// batches 1..4 spread over both instances' partitions
			long batch = 1 + (i % 4);
			publish(aLink("acme", 5, batch, file, "ROOT"));
			if (batch == 1) {
				expected.add(file);
			}
			JsonNode links = linksOf(lookUp(instances.get(i % 2), "/internal/tenants/acme/nurseries/5/batches/" + batch
					+ "/links"));
			assertThat(links.get(links.size() - 1).get("fileId").asLong()).as("the link just committed").isEqualTo(file);
		}
		publish(aLink("acme", 5, 1, 100, "LEAF"));

		for (StatusInstance instance : instances) {
			JsonNode links = linksOf(lookUp(instance, "/internal/tenants/acme/nurseries/5/batches/1/links"));
			List<Long> files = new ArrayList<>();
			links.forEach(link -> files.add(link.get("fileId").asLong()));
			assertThat(files).isEqualTo(expected);
			assertThat(links.get(0).get("type").asString()).isEqualTo("LEAF");
			assertThat(links.get(0).get("fileName").asString()).isEqualTo("file-100.png");
			assertThat(links.get(0).get("uploadedAt").asString()).isEqualTo(NurseryLinksTopologyTest.UPLOADED.toString());
			assertThat(linksOf(lookUp(instance, "/internal/tenants/other/nurseries/5/batches/1/links"))).isEmpty();
			assertThat(linksOf(lookUp(instance, "/internal/tenants/acme/nurseries/6/batches/1/links"))).isEmpty();
		}
	}

	@Test
	void idsThatCannotBeOnesAre400() throws Exception {
		for (String path : List.of("/internal/tenants/acme/nurseries/x/batches/1/links",
				"/internal/tenants/acme/nurseries/1/batches/-1/links",
				"/internal/tenants/acme/nurseries/1/batches/99999999999999999/links")) {
			HttpResponse<String> response = lookUp(instances.get(0), path);
			assertThat(response.statusCode()).as(path).isEqualTo(400);
			assertThat(json.readTree(response.body()).get("code").asInt()).isEqualTo(1000);
		}
	}

	private static void publish(NurseryLink link) {
		api.beginTransaction();
		api.send(new ProducerRecord<>(Topics.NURSERY_LINKS.name(), link.key(),
				Topics.NURSERY_LINKS.valueSerde().serializer().serialize(Topics.NURSERY_LINKS.name(), link)));
		api.commitTransaction();
	}

	/** The answer once the instances run: 503 only while a rebalance settles. */
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

	private static JsonNode linksOf(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = json.readTree(response.body());
		assertThat(body.get("code").asInt()).isEqualTo(200);
		return body.get("data").get("links");
	}

	private static StatusInstance start(String name) throws IOException {
		return StatusInstance.start(broker, stateDir, name, List.of());
	}

}
