package dev.intake.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.intake.contracts.Topics;

/**
 * Plain Kafka clients of the test's own: write raw records to a topic (a poison record is bytes
 * no worker can read), and read the dead-letter topic {@code intake.jobs-dlt} from the start.
 */
final class DeadLetters {

	private DeadLetters() {
	}

	/** Writes {@code value} as it is, with {@code key}, and waits for the broker's acknowledgement. */
	static void send(Stack stack, String topic, String key, byte[] value) throws Exception {
		try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				stack.kafka(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(topic, key, value)).get();
		}
	}

	/** Dead-lettered jobs whose key starts with {@code keyPrefix}, polled until one is there or the deadline. */
	static List<ConsumerRecord<String, byte[]>> await(Stack stack, String keyPrefix, Duration timeout) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka(),
				ConsumerConfig.GROUP_ID_CONFIG, "faults-dlt-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
		try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(Topics.JOBS_DLT));
			long deadline = System.nanoTime() + timeout.toNanos();
			while (found.isEmpty() && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
					if (record.key() != null && record.key().startsWith(keyPrefix)) {
						found.add(record);
					}
				}
			}
			// whatever else arrived with the first one
			consumer.poll(Duration.ofMillis(500)).forEach(record -> {
				if (record.key() != null && record.key().startsWith(keyPrefix)) {
					found.add(record);
				}
			});
		}
		return found;
	}

	static String header(ConsumerRecord<?, ?> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header == null) ? null : new String(header.value(), StandardCharsets.UTF_8);
	}

}
