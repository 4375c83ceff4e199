package dev.intake.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.intake.contracts.Topics;

/**
 * Watches {@code intake.results} and remembers, per batch, when its last item result was
 * published (the record's create time, stamped by the worker after the image is stored): the
 * start of the "stored → status shows TASK_SUCCEEDED" delay.
 */
final class ResultTimes implements AutoCloseable {

	private final Map<String, Long> lastResultMillis = new ConcurrentHashMap<>();

	private final Thread thread;

	private volatile boolean running = true;

	ResultTimes(String bootstrapServers) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new ByteArrayDeserializer());
		this.thread = new Thread(() -> {
			try (consumer) {
				List<TopicPartition> partitions = consumer.partitionsFor(Topics.RESULTS.name())
					.stream()
					.map(p -> new TopicPartition(p.topic(), p.partition()))
					.toList();
				consumer.assign(partitions);
				consumer.seekToBeginning(partitions);
				while (running) {
					for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
						lastResultMillis.merge(record.key(), record.timestamp(), Math::max);
					}
				}
			}
		}, "bench-result-times");
		thread.setDaemon(true);
		thread.start();
	}

	/** Create time of the last result of the tenant's batch seen so far, or -1. */
	long lastResult(String tenantBatch) {
		return lastResultMillis.getOrDefault(tenantBatch, -1L);
	}

	@Override
	public void close() throws InterruptedException {
		running = false;
		thread.join(5000);
	}

}
