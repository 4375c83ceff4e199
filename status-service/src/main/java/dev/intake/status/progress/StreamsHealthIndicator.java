package dev.intake.status.progress;

import org.apache.kafka.streams.KafkaStreams;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Readiness: up only while Kafka Streams is {@code RUNNING}, i.e. not starting, restoring or
 * rebalancing, when queries would only get "retry later".
 */
class StreamsHealthIndicator extends AbstractHealthIndicator {

	private final StreamsBuilderFactoryBean streams;

	StreamsHealthIndicator(StreamsBuilderFactoryBean streams) {
		super("Kafka Streams check failed");
		this.streams = streams;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		KafkaStreams kafkaStreams = streams.getKafkaStreams();
		if (kafkaStreams == null) {
			builder.down().withDetail("state", "NOT_STARTED");
			return;
		}
		KafkaStreams.State state = kafkaStreams.state();
		(state == KafkaStreams.State.RUNNING ? builder.up() : builder.down()).withDetail("state", state.name());
	}

}
