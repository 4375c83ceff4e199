package dev.intake.status.content;

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

import dev.intake.contracts.ItemResult.ImageStored;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two status-service instances over a real single-node broker: candidates published by a worker
 * are decided by the content index, and either instance answers where a content's bytes are (from
 * its store or its peer's) and which uploads the index keeps.
 */
class ContentIndexIntegrationTest {

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

	static KafkaProducer<String, byte[]> worker;

	@BeforeAll
	static void start() throws Exception {
		broker = new EmbeddedKafkaKraftBroker(1, 1);
		broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr",
				"1", "offsets.topic.replication.factor", "1", "group.initial.rebalance.delay.ms", "0"));
		broker.afterPropertiesSet();
		instances.add(start("a"));
		instances.add(start("b"));
		await().atMost(PATIENCE).until(() -> instances.stream().allMatch(StatusInstance::running));
		worker = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
				Serdes.String().serializer(), Serdes.ByteArray().serializer());
	}

	@AfterAll
	static void stop() {
		if (worker != null) {
			worker.close(Duration.ofSeconds(5));
		}
		instances.forEach(instance -> instance.context().close());
		if (broker != null) {
			broker.destroy();
		}
	}

	@Test
	void eitherInstanceAnswersWhereTheWinningBytesAreAndWhichUploadsAreKept() throws Exception {
		List<String> tenants = List.of("acme", "beta", "gamma", "delta");
		List<String> winners = new ArrayList<>();
		List<String> losers = new ArrayList<>();
		for (String tenant : tenants) {
			ImageStored first = ContentIndexTopologyTest.candidate(tenant, "b1", 0, "up-1");
			ImageStored second = ContentIndexTopologyTest.candidate(tenant, "b2", 1, "up-2");
			publish(first);
			publish(second);
			winners.add(first.image().object());
			losers.add(second.image().object());
		}
		for (StatusInstance instance : instances) {
			for (int i = 0; i < tenants.size(); i++) {
				String path = "/internal/tenants/" + tenants.get(i) + "/contents/" + ContentIndexTopologyTest.SHA;
				HttpResponse<String> found = answer(instance, get(instance, path), 200);
				JsonNode entry = json.readTree(found.body()).get("data");
				assertThat(entry.get("object").asString()).isEqualTo(winners.get(i));
				assertThat(entry.get("contentType").asString()).isEqualTo("image/png");
				assertThat(entry.get("size").asLong()).isEqualTo(2048);
			}
			HttpResponse<String> unknown = answer(instance,
					get(instance, "/internal/tenants/acme/contents/" + "c".repeat(64)), 404);
			assertThat(json.readTree(unknown.body()).get("code").asInt()).isEqualTo(ContentController.NOT_FOUND_CODE);
			assertThat(answer(instance, get(instance, "/internal/tenants/acme/contents/not-a-hash"), 404)
				.statusCode()).isEqualTo(404);

			List<String> asked = new ArrayList<>(winners);
			asked.addAll(losers);
			await().atMost(PATIENCE).untilAsserted(() -> {
				HttpResponse<String> owned = answer(instance, post(instance, json.writeValueAsString(asked)), 200);
				List<String> kept = new ArrayList<>();
				json.readTree(owned.body()).get("data").get("owned").forEach(key -> kept.add(key.asString()));
				assertThat(kept).containsExactlyInAnyOrderElementsOf(winners);
			});
			assertThat(answer(instance, post(instance, "{\"not\":\"an array\"}"), 400).statusCode()).isEqualTo(400);
		}
	}

	private static void publish(ImageStored candidate) {
		worker.send(new ProducerRecord<>(Topics.CANDIDATES.name(), candidate.contentKey(),
				Topics.CANDIDATES.valueSerde().serializer().serialize(Topics.CANDIDATES.name(), candidate)));
		worker.flush();
	}

	private static HttpRequest get(StatusInstance instance, String path) {
		return HttpRequest.newBuilder(URI.create(instance.url(path))).timeout(Duration.ofSeconds(20)).build();
	}

	private static HttpRequest post(StatusInstance instance, String body) {
		return HttpRequest.newBuilder(URI.create(instance.url("/internal/uploads/owned")))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	/** The answer once it is {@code status}: 503 or another status only while the index catches up. */
	private static HttpResponse<String> answer(StatusInstance instance, HttpRequest request, int status) {
		List<HttpResponse<String>> answers = new ArrayList<>();
		await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			answers.add(response);
			return response.statusCode() == status;
		});
		return answers.get(answers.size() - 1);
	}

	private static StatusInstance start(String name) throws IOException {
		return StatusInstance.start(broker, stateDir, name, List.of());
	}

}
