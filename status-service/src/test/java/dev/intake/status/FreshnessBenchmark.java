package dev.intake.status;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static dev.intake.status.progress.Batches.aBatchOf;
import static dev.intake.status.progress.Batches.stored;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Freshness: how long from an item result being committed to {@code intake.results} until the
 * status look-up shows it, over a real embedded broker and one status-service with its default
 * settings. Prints p50/p90/p99/max; asserts nothing about time. Run with
 * {@code ./mvnw -B -q -pl status-service test -Dtest=FreshnessBenchmark -Dbenchmark=true}.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class FreshnessBenchmark {

	private static final int BATCHES = 20;

	private static final int ITEMS = 15;

	private static final Duration POLL = Duration.ofMillis(2);

	@TempDir
	Path stateDir;

	@Test
	void timeFromResultToStatus() throws Exception {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
		broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr",
				"1", "offsets.topic.replication.factor", "1", "group.initial.rebalance.delay.ms", "0"));
		broker.afterPropertiesSet();
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		ConfigurableApplicationContext status = StatusServiceApplication.application()
			.run("--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(), "--server.port=" + port,
					"--server.address=127.0.0.1", "--spring.kafka.streams.state-dir=" + stateDir,
					"--intake.s3.endpoint=http://127.0.0.1:9", "--intake.s3.access-key=test",
					"--intake.s3.secret-key=test-secret", "--intake.status.retention=3650d");
		HttpClient http = HttpClient.newHttpClient();
		try (KafkaProducer<String, Object> api = producer(broker)) {
			KafkaStreams streams = status.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
			while (streams.state() != KafkaStreams.State.RUNNING) {
				Thread.sleep(100);
			}
			List<Long> micros = new ArrayList<>();
			for (int b = 0; b < BATCHES; b++) {
				BatchSubmitted batch = aBatchOf("acme", "fresh-" + b, ITEMS);
				publish(api, Topics.BATCHES.name(), batch.key().toString(), batch);
				awaitBody(http, port, batch, "\"processed_count\":0");
				for (int i = 0; i < ITEMS; i++) {
					publish(api, Topics.RESULTS.name(), batch.key().toString(), stored(batch, i));
					long committed = System.nanoTime();
					awaitBody(http, port, batch, "\"processed_count\":" + (i + 1) + ",");
					micros.add((System.nanoTime() - committed) / 1000);
				}
			}
			Collections.sort(micros);
			System.out.printf("Freshness over %d results (%d batches x %d items), status polled every %d ms:%n",
					micros.size(), BATCHES, ITEMS, POLL.toMillis());
			System.out.printf("  p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", percentile(micros, 50),
					percentile(micros, 90), percentile(micros, 99), micros.get(micros.size() - 1) / 1000.0);
		}
		finally {
			status.close();
			broker.destroy();
		}
	}

	private static void awaitBody(HttpClient http, int port, BatchSubmitted batch, String expected) throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/internal/batches/acme/" + batch.batchId()))
			.timeout(Duration.ofSeconds(10))
			.build();
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!http.send(request, HttpResponse.BodyHandlers.ofString()).body().contains(expected)) {
			assertThat(System.nanoTime()).as("status of %s shows %s", batch.batchId(), expected).isLessThan(deadline);
			Thread.sleep(POLL.toMillis());
		}
	}

	private static double percentile(List<Long> sortedMicros, int percent) {
		int index = (int) Math.ceil(percent / 100.0 * sortedMicros.size()) - 1;
		return sortedMicros.get(Math.max(0, index)) / 1000.0;
	}

	private static KafkaProducer<String, Object> producer(EmbeddedKafkaKraftBroker broker) {
		KafkaProducer<String, Object> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
						ProducerConfig.TRANSACTIONAL_ID_CONFIG, "benchmark-api"),
				Serdes.String().serializer(), (topic, value) -> (value instanceof BatchSubmitted batch)
						? Topics.BATCHES.valueSerde().serializer().serialize(topic, batch)
						: Topics.RESULTS.valueSerde().serializer().serialize(topic, (ItemResult) value));
		producer.initTransactions();
		return producer;
	}

	/** Publishes like the api-service and the workers do: in a transaction, awaited. */
	private static void publish(KafkaProducer<String, Object> producer, String topic, String key, Object value) {
		producer.beginTransaction();
		producer.send(new ProducerRecord<>(topic, key, value));
		producer.commitTransaction();
	}

}
