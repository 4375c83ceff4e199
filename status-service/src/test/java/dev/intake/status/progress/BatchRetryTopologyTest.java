package dev.intake.status.progress;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import dev.intake.contracts.BatchKey;
import dev.intake.contracts.BatchRecord;
import dev.intake.contracts.BatchRetried;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.ItemError;
import dev.intake.contracts.ItemIds;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.SubmittedItem;
import dev.intake.contracts.Topics;
import org.apache.kafka.common.serialization.Serdes;
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

/** Retry rounds: failed items pending again, only results of the new round counted, once. */
class BatchRetryTopologyTest {

	private TopologyTestDriver driver;

	private TestInputTopic<String, BatchRecord> batches;

	private TestInputTopic<String, ItemResult> results;

	private TestOutputTopic<String, String> events;

	private KeyValueStore<String, BatchProgress> store;

	@TempDir
	Path stateDir;

	@BeforeEach
	void startTopology() {
		driver = TopologyDrivers.start(stateDir);
		batches = TopologyDrivers.input(driver, Topics.BATCH_RECORDS);
		results = TopologyDrivers.input(driver, Topics.RESULTS);
		events = driver.createOutputTopic(Topics.EVENTS, Serdes.String().deserializer(),
				Serdes.String().deserializer());
		store = driver.getKeyValueStore(BatchProgressTopology.STORE);
	}

	@AfterEach
	void stopTopology() {
		driver.close();
	}

	@Test
	void aRetryRoundMakesFailedItemsPendingAndCountsTheNewOutcomeOnce() {
		BatchSubmitted batch = aBatchOf(3);
		batches.pipeInput(batch.key().toString(), batch);
		report(stored(batch, 0));
		report(failed(batch, 1, 1, ItemError.RETRIES_EXHAUSTED));
		report(failed(batch, 2, 1, ItemError.PROCESSING_FAILED));
		assertThat(progress(batch).failedCount()).isEqualTo(2);
		assertThat(progress(batch).retryableItems()).extracting(ItemProgress::index).containsExactly(1, 2);

		retry(batch, 1, 1, 2);

		BatchProgress retrying = progress(batch);
		assertThat(retrying.retryRound()).isEqualTo(1);
		assertThat(retrying.status()).isEqualTo(BatchStatus.TASK_PROCESSING);
		assertThat(retrying.failedCount()).isZero();
		assertThat(retrying.successCount()).isEqualTo(1);
		assertThat(retrying.items()).extracting(ItemProgress::state)
			.containsExactly(ItemState.SUCCEEDED, ItemState.PENDING, ItemState.PENDING);
		assertThat(retrying.items().get(1).attempt()).isEqualTo(2);
		assertThat(retrying.items().get(1).name()).isEqualTo("image-1.png");
		assertThat(retrying.items().get(1).source()).isEqualTo(batch.items().get(1).source());

		report(stored(batch, 1, 2));
		report(stored(batch, 1, 2));
		report(failed(batch, 2, 2, ItemError.RETRIES_EXHAUSTED));

		BatchProgress done = progress(batch);
		assertThat(done.status()).isEqualTo(BatchStatus.TASK_SUCCEEDED);
		assertThat(done.successCount()).isEqualTo(2);
		assertThat(done.failedCount()).isEqualTo(1);
		assertThat(done.processedCount()).isEqualTo(3);
	}

	@Test
	void aLateResultOfTheEarlierRoundCannotOverrideTheNewOne() {
		BatchSubmitted batch = aBatchOf(2);
		batches.pipeInput(batch.key().toString(), batch);
		report(stored(batch, 0));
		report(failed(batch, 1, 1, ItemError.RETRIES_EXHAUSTED));
		retry(batch, 1, 1);

		// a redelivered job of attempt 1, finishing after the retry was accepted
		report(stored(batch, 1, 1));
		report(failed(batch, 1, 1, ItemError.RETRIES_EXHAUSTED));

		assertThat(progress(batch).items().get(1).state()).isEqualTo(ItemState.PENDING);
		assertThat(progress(batch).status()).isEqualTo(BatchStatus.TASK_PROCESSING);

		report(failed(batch, 1, 2, ItemError.RETRIES_EXHAUSTED));
		report(stored(batch, 1, 1));

		assertThat(progress(batch).items().get(1).state()).isEqualTo(ItemState.FAILED);
		assertThat(progress(batch).items().get(1).attempt()).isEqualTo(2);
	}

	@Test
	void aRoundThatIsNotNewerChangesNothingSoRacingRetriesCountOnce() {
		BatchSubmitted batch = aBatchOf(2);
		batches.pipeInput(batch.key().toString(), batch);
		report(failed(batch, 0, 1, ItemError.RETRIES_EXHAUSTED));
		report(failed(batch, 1, 1, ItemError.RETRIES_EXHAUSTED));
		retry(batch, 1, 0, 1);
		report(stored(batch, 0, 2));

		retry(batch, 1, 0, 1);

		BatchProgress progress = progress(batch);
		assertThat(progress.items().get(0).state()).isEqualTo(ItemState.SUCCEEDED);
		assertThat(progress.items().get(1).state()).isEqualTo(ItemState.PENDING);
		assertThat(progress.retryRound()).isEqualTo(1);
	}

	@Test
	void onlyRetryableFailuresArePendingAgain() {
		BatchKey key = new BatchKey("acme", "mixed");
		BatchSubmitted batch = new BatchSubmitted("acme", "mixed", NOW,
				List.of(item(key, 0, aBatchOf(1).items().get(0).source()),
						item(key, 1, aBatchOf(2).items().get(1).source()),
						item(key, 2, new ItemSource.Remote("https://images.example/a.png")),
						item(key, 3, new ItemSource.Remote("http://10.0.0.1/b.png"))));
		batches.pipeInput(key.toString(), batch);
		report(failed(batch, 0, 1, ItemError.CORRUPT_IMAGE));
		report(failed(batch, 1, 1, ItemError.RETRIES_EXHAUSTED));
		report(failed(batch, 2, 1, ItemError.FETCH_FAILED));
		report(failed(batch, 3, 1, ItemError.URL_REFUSED));

		assertThat(progress(batch).retryableItems()).extracting(ItemProgress::index).containsExactly(1, 2);

		retry(batch, 1, 0, 1, 2, 3);

		assertThat(progress(batch).items()).extracting(ItemProgress::state)
			.containsExactly(ItemState.FAILED, ItemState.PENDING, ItemState.PENDING, ItemState.FAILED);
	}

	@Test
	void aRetryOfAnUnknownBatchIsIgnored() {
		BatchSubmitted batch = aBatchOf(1);
		retry(batch, 1, 0);

		BatchProgress progress = store.get(batch.key().toString());
		assertThat(progress.submitted()).isFalse();
		assertThat(progress.retryRound()).isZero();
	}

	@Test
	void eachCompletedRoundIsAnnouncedOnceWithItsOwnId() {
		BatchSubmitted batch = aBatchOf(1);
		batches.pipeInput(batch.key().toString(), batch);
		report(failed(batch, 0, 1, ItemError.RETRIES_EXHAUSTED));
		retry(batch, 1, 0);
		report(stored(batch, 0, 2));
		report(stored(batch, 0, 2));

		List<TestRecord<String, String>> published = events.readRecordsToList();
		assertThat(published).extracting(record -> new String(record.headers().lastHeader("ce_id").value(),
				StandardCharsets.UTF_8))
			.containsExactly("acme/batch-1/0/attempt-1", "acme/batch-1/completed", "acme/batch-1/0/attempt-2",
					"acme/batch-1/completed/retry-1");
		assertThat(published.get(3).value()).contains("\"successCount\":1").contains("\"failedCount\":0");
	}

	private static SubmittedItem item(BatchKey key, int index, ItemSource source) {
		return new SubmittedItem(index, ItemIds.of(key, index), "image-" + index + ".png", source);
	}

	private static ItemResult.ImageFailed failed(BatchSubmitted batch, int index, int attempt, ItemError code) {
		return new ItemResult.ImageFailed(batch.tenant(), batch.batchId(), ItemIds.of(batch.key(), index), index,
				attempt, code.name(), "failed: " + code, NOW.plusSeconds(index + attempt));
	}

	private void retry(BatchSubmitted batch, int round, Integer... indices) {
		batches.pipeInput(batch.key().toString(),
				new BatchRetried(batch.tenant(), batch.batchId(), round, List.of(indices), Instant.now()));
	}

	private void report(ItemResult result) {
		results.pipeInput(result.batchKey().toString(), result);
	}

	private BatchProgress progress(BatchSubmitted batch) {
		return store.get(batch.key().toString());
	}

}
