package dev.intake.bench.webhooks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.intake.contracts.CloudEventHeaders;
import dev.intake.contracts.EventType;
import dev.intake.contracts.Topics;
import dev.intake.local.LocalIntake;
import dev.intake.local.LocalSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Memory of the webhook dispatcher under a dead endpoint: the embedded default in this JVM (all
 * parts, webhooks allowed to reach loopback), one subscription to every event type whose endpoint
 * accepts connections and never answers, then {@code count} events written straight to
 * {@code intake.events}. Prints, every few seconds, the events fanned out, the first attempts
 * made (each failed by the timeout or the open circuit breaker and moved to the first retry
 * topic) and the heap used after a full GC, until every first attempt is made.
 * Usage: {@code bench/scripts/webhook-memory.sh [count=10000]}.
 */
public final class DeadEndpointMemory {

	private DeadEndpointMemory() {
	}

	public static void main(String[] args) throws Exception {
		int count = (args.length > 0) ? Integer.parseInt(args[0]) : 10_000;
		Path data = Files.createTempDirectory("intake-webhook-memory");
		List<Socket> held = new CopyOnWriteArrayList<>();
		try (ServerSocket blackHole = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress())) {
			Thread accept = new Thread(() -> {
				try {
					while (true) {
						held.add(blackHole.accept());
					}
				}
				catch (Exception ex) {
					// closed
				}
			}, "black-hole");
			accept.setDaemon(true);
			accept.start();
			LocalSettings settings = new LocalSettings(data, "bench-token", free(), free(), free(), free(), free(), free());
			try (LocalIntake intake = LocalIntake.start(settings, "--intake.webhooks.allow-loopback=true",
					"--intake.webhooks.allowed-ports=80,443," + blackHole.getLocalPort(),
					"--intake.webhooks.timeout=2s", "--logging.level.dev.intake=WARN")) {
				subscribe(settings, "http://127.0.0.1:" + blackHole.getLocalPort() + "/hook");
				String bootstrap = "127.0.0.1:" + settings.kafkaPort();
				MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
				System.out.printf("%-8s %-10s %-14s %-14s %s%n", "seconds", "events", "fanned out", "1st attempts",
						"heap after GC (MB)");
				long begin = System.nanoTime();
				report(memory, begin, 0, 0, 0);
				try (KafkaProducer<String, byte[]> producer = producer(bootstrap); Admin admin = admin(bootstrap)) {
					for (int i = 0; i < count; i++) {
						String batch = "dead-" + i;
						String data_ = "{\"tenant\":\"local\",\"batchId\":\"" + batch + "\",\"totalCount\":1,"
								+ "\"successCount\":1,\"failedCount\":0}";
						ProducerRecord<String, byte[]> event = new ProducerRecord<>(Topics.EVENTS, null,
								"local/" + batch, data_.getBytes(StandardCharsets.UTF_8),
								CloudEventHeaders.of(EventType.BATCH_COMPLETED, "bench-" + i, batch, Instant.now(), "local"));
						producer.send(event);
					}
					producer.flush();
					long fanned = 0;
					long attempted = 0;
					while (attempted < count) {
						Thread.sleep(5000);
						fanned = committed(admin, "intake-webhooks", Topics.EVENTS);
						attempted = committed(admin, "intake-webhook-deliveries", Topics.WEBHOOK_DELIVERIES.name());
						report(memory, begin, count, fanned, attempted);
					}
				}
				System.out.println("open connections to the dead endpoint: " + held.size());
			}
		}
	}

	private static void report(MemoryMXBean memory, long begin, int events, long fanned, long attempted) {
		System.gc();
		long used = memory.getHeapMemoryUsage().getUsed() / (1024 * 1024);
		System.out.printf("%-8d %-10d %-14d %-14d %d%n", Duration.ofNanos(System.nanoTime() - begin).toSeconds(),
				events, fanned, attempted, used);
	}

	private static long committed(Admin admin, String group, String topic) throws Exception {
		Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
			.partitionsToOffsetAndMetadata()
			.get();
		return offsets.entrySet()
			.stream()
			.filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
			.mapToLong(e -> e.getValue().offset())
			.sum();
	}

	private static void subscribe(LocalSettings settings, String url) throws Exception {
		HttpResponse<String> answer = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(settings.baseUrl() + "/webhooks"))
				.header("Authorization", "Bearer " + settings.apiToken())
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"url\": \"" + url + "\", \"events\": [\"*\"]}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (answer.statusCode() != 201) {
			throw new IllegalStateException("subscribing answered " + answer.statusCode() + ": " + answer.body());
		}
	}

	private static KafkaProducer<String, byte[]> producer(String bootstrap) {
		Properties config = new Properties();
		config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
		return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
	}

	private static Admin admin(String bootstrap) {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
	}

	private static int free() throws Exception {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
