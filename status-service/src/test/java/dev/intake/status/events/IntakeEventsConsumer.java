package dev.intake.status.events;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * An example subscriber of {@code intake.events} with the CloudEvents Kafka binding (see
 * {@code docs/events.md}): reads committed events only, drops a repeat by its {@code id}, and
 * hands each new event to a handler. Run it against a broker with
 * {@code java ... IntakeEventsConsumer <bootstrap-servers> <group-id>}; it prints one line per event.
 * <p>
 * The ids seen are kept in memory here; a real subscriber keeps them (or the effects of handling
 * them) where it keeps its own state, for as long as a replay may reach it.
 */
public final class IntakeEventsConsumer implements AutoCloseable {

	private static final int REMEMBERED_IDS = 100_000;

	private final KafkaConsumer<String, CloudEvent> consumer;

	private final Set<String> seen = new LinkedHashSet<>();

	public IntakeEventsConsumer(String bootstrapServers, String groupId) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.GROUP_ID_CONFIG, groupId, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
				// the status-service publishes in transactions: read only what it committed
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new CloudEventDeserializer());
		this.consumer.subscribe(List.of("intake.events"));
	}

	/** Polls once and hands every event not seen before to {@code handler}, in partition order. */
	public void poll(Duration timeout, Consumer<ConsumerRecord<String, CloudEvent>> handler) {
		for (ConsumerRecord<String, CloudEvent> record : consumer.poll(timeout)) {
			if (remember(record.value().getId())) {
				handler.accept(record);
			}
		}
		consumer.commitSync();
	}

	private boolean remember(String id) {
		if (!seen.add(id)) {
			return false;
		}
		if (seen.size() > REMEMBERED_IDS) {
			seen.remove(seen.iterator().next());
		}
		return true;
	}

	@Override
	public void close() {
		consumer.close();
	}

	public static void main(String[] args) {
		String servers = (args.length > 0) ? args[0] : "127.0.0.1:9092";
		String group = (args.length > 1) ? args[1] : "intake-events-example";
		try (IntakeEventsConsumer events = new IntakeEventsConsumer(servers, group)) {
			while (!Thread.currentThread().isInterrupted()) {
				events.poll(Duration.ofSeconds(1), record -> {
					CloudEvent event = record.value();
					System.out.println(event.getType() + " " + event.getId() + " tenant="
							+ event.getExtension("tenant") + " " + new String(event.getData().toBytes()));
				});
			}
		}
	}

}
