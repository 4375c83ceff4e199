package dev.intake.platform.webhooks;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.intake.contracts.Topic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes of the webhook records ({@code intake.webhooks}, {@code intake.webhook-deliveries},
 * {@code intake.webhook-attempts}) by the subscriptions API and the dispatcher. Idempotent
 * producer, acknowledged by all replicas; each write blocks until acknowledged (callers run it
 * off any event loop).
 */
public final class WebhookWrites implements AutoCloseable {

	private final KafkaProducer<String, byte[]> producer;

	private final Duration timeout;

	public WebhookWrites(Map<String, Object> producerConfig, Duration timeout) {
		Map<String, Object> config = new HashMap<>(producerConfig);
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
		this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
		this.timeout = timeout;
	}

	/** Writes {@code value} (null: a tombstone) under {@code key} and waits for the acknowledgement. */
	public <V> void write(Topic<String, V> topic, String key, V value) throws Exception {
		send(topic, key, value).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Writes {@code value} under {@code key}; the future completes with the acknowledgement. */
	public <V> Future<RecordMetadata> send(Topic<String, V> topic, String key, V value) {
		byte[] bytes = (value != null) ? topic.valueSerde().serializer().serialize(topic.name(), value) : null;
		return producer.send(new ProducerRecord<>(topic.name(), key, bytes));
	}

	/** Waits for the acknowledgement of writes {@link #send sent} earlier. */
	public void await(List<Future<RecordMetadata>> sent) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout.toMillis());
		for (Future<RecordMetadata> write : sent) {
			write.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
	}

	@Override
	public void close() {
		producer.close(Duration.ofSeconds(5));
	}

}
