package dev.intake.status.progress;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import dev.intake.contracts.BatchCompleted;
import dev.intake.contracts.BatchRetried;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.JsonSerde;
import dev.intake.contracts.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.intake.status.progress.Batches.aBatchOf;
import static dev.intake.status.progress.Batches.failed;
import static dev.intake.status.progress.Batches.progressOf;
import static dev.intake.status.progress.Batches.stored;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The announcer alone, fed the store's changes directly: the progress store's cache merges the
 * updates between two commits, so it must announce a completion whatever it saw before (the
 * whole topology, under {@link TopologyTestDriver}, commits after every record and never merges).
 */
class CompletionAnnouncementsTest {

	private static final String KEY = "acme/batch-1";

	private final BatchSubmitted batch = aBatchOf(2);

	private final BatchProgress complete = progressOf(batch, stored(batch, 0), failed(batch, 1));

	private TopologyTestDriver driver;

	private TestInputTopic<String, BatchProgress> changes;

	private TestOutputTopic<String, String> events;

	@TempDir
	Path stateDir;

	@BeforeEach
	void startAnnouncer() {
		StreamsBuilder builder = new StreamsBuilder();
		builder.addStateStore(Stores.keyValueStoreBuilder(
				Stores.persistentKeyValueStore(BatchProgressTopology.COMPLETIONS), Serdes.String(), Serdes.Integer()));
		builder.addStateStore(Stores.keyValueStoreBuilder(
				Stores.persistentKeyValueStore(BatchProgressTopology.ITEM_ANNOUNCEMENTS), Serdes.String(),
				new JsonSerde<>(BatchEvents.AnnouncedAttempts.class)));
		JsonSerde<BatchProgress> values = new JsonSerde<>(BatchProgress.class);
		builder.stream("changes", Consumed.with(Serdes.String(), values))
			.processValues(() -> new BatchEvents(BatchProgressTopology.DEFAULT_URLS), BatchProgressTopology.COMPLETIONS,
					BatchProgressTopology.ITEM_ANNOUNCEMENTS)
			.to(Topics.EVENTS, Produced.with(Serdes.String(), BatchEvents.SERDE));
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, "announcer-test");
		config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
		driver = new TopologyTestDriver(builder.build(), config);
		changes = driver.createInputTopic("changes", Serdes.String().serializer(), values.serializer());
		events = driver.createOutputTopic(Topics.EVENTS, Serdes.String().deserializer(),
				Serdes.String().deserializer());
	}

	@AfterEach
	void stopAnnouncer() {
		driver.close();
	}

	@Test
	void aBatchFirstSeenCompleteIsAnnouncedOnceHoweverOftenItIsSeenSo() {
		changes.pipeInput(KEY, complete);
		changes.pipeInput(KEY, complete);
		changes.pipeInput(KEY, complete);

		assertThat(eventIds()).containsExactly("acme/batch-1/completed");
	}

	@Test
	void anIncompleteBatchIsNotAnnounced() {
		changes.pipeInput(KEY, progressOf(batch, stored(batch, 0)));

		assertThat(completions().isEmpty()).isTrue();
	}

	@Test
	void aRetryRoundSeenOnlyCompleteIsAnnouncedUnderItsOwnId() {
		changes.pipeInput(KEY, complete);
		BatchProgress retried = complete.withRetry(new BatchRetried("acme", "batch-1", 1, List.of(1), Batches.NOW))
			.withResult(stored(batch, 1, 2));
		changes.pipeInput(KEY, retried);
		changes.pipeInput(KEY, retried);

		assertThat(eventIds()).containsExactly("acme/batch-1/completed", "acme/batch-1/completed/retry-1");
	}

	@Test
	void aBatchDeletedByRetentionIsForgotten() {
		changes.pipeInput(KEY, complete);
		changes.pipeInput(KEY, (BatchProgress) null);
		changes.pipeInput(KEY, complete);

		assertThat(eventIds()).containsExactly("acme/batch-1/completed", "acme/batch-1/completed");
	}

	private List<String> eventIds() {
		return completions()
			.stream()
			.map(record -> new String(record.headers().lastHeader("ce_id").value()))
			.toList();
	}

	/** The {@code batch.completed} events published since the last read (item events are skipped). */
	private List<TestRecord<String, String>> completions() {
		return events.readRecordsToList()
			.stream()
			.filter(record -> BatchCompleted.TYPE
				.equals(new String(record.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8)))
			.toList();
	}

}
