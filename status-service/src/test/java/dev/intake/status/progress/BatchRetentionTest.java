package dev.intake.status.progress;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.intake.status.progress.Batches.NOW;
import static dev.intake.status.progress.Batches.aBatchOf;
import static dev.intake.status.progress.Batches.stored;
import static org.assertj.core.api.Assertions.assertThat;

/** Batches are deleted from the store, and its changelog, once past the retention. */
class BatchRetentionTest {

	private static final Duration RETENTION = Duration.ofDays(30);

	private static final String CHANGELOG = "intake-status-test-" + BatchProgressTopology.STORE + "-changelog";

	private TopologyTestDriver driver;

	private TestInputTopic<String, BatchSubmitted> batches;

	private TestInputTopic<String, ItemResult> results;

	private TestOutputTopic<String, byte[]> changelog;

	private KeyValueStore<String, BatchProgress> store;

	@TempDir
	Path stateDir;

	@BeforeEach
	void startTopology() {
		StreamsBuilder builder = new StreamsBuilder();
		BatchProgressTopology.build(builder, new RetentionProperties(RETENTION, Duration.ofMinutes(10), 2),
				BatchProgressListener.NONE, BatchProgressTopology.DEFAULT_URLS);
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, "intake-status-test");
		config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
		config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
		driver = new TopologyTestDriver(builder.build(), config, NOW);
		batches = driver.createInputTopic(Topics.BATCHES.name(), Topics.BATCHES.keySerde().serializer(),
				Topics.BATCHES.valueSerde().serializer());
		results = driver.createInputTopic(Topics.RESULTS.name(), Topics.RESULTS.keySerde().serializer(),
				Topics.RESULTS.valueSerde().serializer());
		changelog = driver.createOutputTopic(CHANGELOG, Serdes.String().deserializer(),
				Serdes.ByteArray().deserializer());
		store = driver.getKeyValueStore(BatchProgressTopology.STORE);
	}

	@AfterEach
	void stopTopology() {
		driver.close();
	}

	@Test
	void aBatchIsKeptForTheRetentionAndThenDeletedWithATombstone() {
		BatchSubmitted batch = aBatchOf(2);
		submit(batch, NOW);
		results.pipeInput(batch.key().toString(), stored(batch, 0), NOW.plusSeconds(5));

		driver.advanceWallClockTime(RETENTION.minusMinutes(11));
		assertThat(store.get("acme/batch-1")).isNotNull();
		assertThat(store.get("acme/batch-1").expired(NOW.plus(RETENTION).minusMillis(1), RETENTION)).isFalse();

		driver.advanceWallClockTime(Duration.ofMinutes(11));
		assertThat(store.get("acme/batch-1")).isNull();
		List<TestRecord<String, byte[]>> changes = changelog.readRecordsToList();
		assertThat(changes.get(changes.size() - 1).key()).isEqualTo("acme/batch-1");
		assertThat(changes.get(changes.size() - 1).value()).as("a tombstone").isNull();
	}

	@Test
	void aBatchIsHiddenAtItsExpiryEvenBeforeTheScan() {
		BatchProgress progress = Batches.progressOf(aBatchOf(1));

		assertThat(progress.expired(NOW.plus(RETENTION).minusMillis(1), RETENTION)).isFalse();
		assertThat(progress.expired(NOW.plus(RETENTION), RETENTION)).isTrue();
		assertThat(BatchProgress.none().expired(NOW.plus(RETENTION.multipliedBy(2)), RETENTION))
			.as("results waiting for their batch are judged by when they arrived")
			.isFalse();
	}

	@Test
	void onlyExpiredBatchesGoAndEachScanDeletesABoundedNumber() {
		for (int i = 0; i < 3; i++) {
			submit(aBatchOf("acme", "old-" + i, 1), NOW);
		}
		driver.advanceWallClockTime(Duration.ofDays(20));
		BatchSubmitted young = aBatchOf("acme", "young", 1);
		young = new BatchSubmitted(young.tenant(), young.batchId(), NOW.plus(Duration.ofDays(20)), young.items());
		submit(young, NOW.plus(Duration.ofDays(20)));

		driver.advanceWallClockTime(Duration.ofDays(10));
		assertThat(keys()).as("two per scan: one old batch is left for the next scan").hasSize(2).contains("acme/young");

		driver.advanceWallClockTime(Duration.ofMinutes(10));
		assertThat(keys()).containsExactly("acme/young");
	}

	@Test
	void resultsWhoseBatchNeverCameGoOneRetentionAfterTheyArrived() {
		BatchSubmitted never = aBatchOf("acme", "never", 2);
		results.pipeInput(never.key().toString(), stored(never, 0), NOW);
		assertThat(store.get("acme/never")).isNotNull();

		driver.advanceWallClockTime(RETENTION.plusMinutes(10));

		assertThat(store.get("acme/never")).isNull();
	}

	private void submit(BatchSubmitted batch, Instant at) {
		batches.pipeInput(batch.key().toString(), batch, at);
	}

	private List<String> keys() {
		List<String> keys = new java.util.ArrayList<>();
		store.all().forEachRemaining(entry -> keys.add(entry.key));
		return keys;
	}

}
