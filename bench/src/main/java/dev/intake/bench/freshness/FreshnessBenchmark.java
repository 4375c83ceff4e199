package dev.intake.bench.freshness;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.intake.contracts.BatchKey;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.BlobRef;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.ItemIds;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.ObjectKeys;
import dev.intake.contracts.StoredImage;
import dev.intake.contracts.SubmittedItem;
import dev.intake.contracts.Topics;
import dev.intake.status.StatusServiceApplication;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.awaitility.Awaitility.await;

/**
 * Freshness: how long from an item result being committed to {@code intake.results} until the
 * status look-up shows it, over a real embedded broker and one status-service with its default
 * settings. Prints p50/p90/p99/max. Run with
 * {@code ./mvnw -B -pl bench -am verify -Pbench -DskipTests -Dbench.main=dev.intake.bench.freshness.FreshnessBenchmark}.
 */
public final class FreshnessBenchmark {

	private static final int BATCHES = 20;

	private static final int ITEMS = 15;

	private static final Duration POLL = Duration.ofMillis(2);

	private FreshnessBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path stateDir = Files.createTempDirectory("freshness-state");
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
			await("status streams running").atMost(Duration.ofMinutes(5))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> streams.state() == KafkaStreams.State.RUNNING);
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
		await("status of " + batch.batchId() + " shows " + expected).atMost(Duration.ofSeconds(30))
			.pollDelay(Duration.ZERO)
			.pollInterval(POLL)
			.until(() -> http.send(request, HttpResponse.BodyHandlers.ofString()).body().contains(expected));
	}

	/** A batch of {@code size} staged images, as the api-service publishes it. */
	private static BatchSubmitted aBatchOf(String tenant, String batchId, int size) {
		BatchKey key = new BatchKey(tenant, batchId);
		List<SubmittedItem> items = IntStream.range(0, size)
			.mapToObj(index -> new SubmittedItem(index, ItemIds.of(key, index), "image-" + index + ".png",
					new ItemSource.Staged(new BlobRef("intake", ObjectKeys.staged(tenant, "up-1", index), 100,
							"image/png"), "image-" + index + ".png")))
			.toList();
		return new BatchSubmitted(tenant, batchId, Instant.now(), items);
	}

	/** Item {@code index} of {@code batch} stored, as a worker reports it. */
	private static ItemResult.ImageStored stored(BatchSubmitted batch, int index) {
		String sha256 = String.format("%064x", index + 1);
		StoredImage image = new StoredImage("intake", ObjectKeys.original(batch.tenant(), sha256, ImageFormat.PNG),
				2048, "image/png", ImageFormat.PNG, String.format("%032x", index + 1), sha256, 640, 480);
		return new ItemResult.ImageStored(batch.tenant(), batch.batchId(), ItemIds.of(batch.key(), index), index, 1,
				image, Instant.now());
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
