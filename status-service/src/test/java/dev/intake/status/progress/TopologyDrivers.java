package dev.intake.status.progress;

import java.nio.file.Path;
import java.util.Properties;

import dev.intake.contracts.Topic;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The status topology (default retention, no listener) in a {@link TopologyTestDriver}, exactly-once. */
final class TopologyDrivers {

	private TopologyDrivers() {
	}

	static TopologyTestDriver start(Path stateDir) {
		StreamsBuilder builder = new StreamsBuilder();
		BatchProgressTopology.build(builder);
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, "intake-status-test");
		config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
		config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
		return new TopologyTestDriver(builder.build(), config);
	}

	static <V> TestInputTopic<String, V> input(TopologyTestDriver driver, Topic<String, V> topic) {
		return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
	}

}
