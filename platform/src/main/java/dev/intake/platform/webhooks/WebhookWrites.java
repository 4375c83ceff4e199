package dev.intake.platform.webhooks;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.intake.contracts.Topic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
		byte[] bytes = (value != null) ? topic.valueSerde().serializer().serialize(topic.name(), value) : null;
		producer.send(new ProducerRecord<>(topic.name(), key, bytes)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		producer.close(Duration.ofSeconds(5));
	}

}
