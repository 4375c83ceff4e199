package dev.intake.status.progress;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.JsonSerde;
import dev.intake.contracts.Topics;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.intake.status.progress.Batches.aBatchOf;
import static dev.intake.status.progress.Batches.failed;
import static dev.intake.status.progress.Batches.stored;
import static org.assertj.core.api.Assertions.assertThat;

class BatchProgressTopologyTest {

	private TopologyTestDriver driver;

	private TestInputTopic<String, BatchSubmitted> batches;

	private TestInputTopic<String, ItemResult> results;

	private KeyValueStore<String, BatchProgress> store;

	@TempDir
	Path stateDir;

	@BeforeEach
	void startTopology() {
		this.driver = TopologyDrivers.start(stateDir);
		this.batches = TopologyDrivers.input(driver, Topics.BATCHES);
		this.results = TopologyDrivers.input(driver, Topics.RESULTS);
		this.store = driver.getKeyValueStore(BatchProgressTopology.STORE);
	}

	@AfterEach
	void stopTopology() {
		driver.close();
	}

	@Test
	void submissionThenResultsInOrder() {
		BatchSubmitted batch = aBatchOf(3);
		submit(batch);
		report(stored(batch, 0));
		report(failed(batch, 1));
		report(stored(batch, 2));

		BatchProgress progress = progressOf(batch);
		assertThat(progress.submitted()).isTrue();
		assertThat(progress.totalCount()).isEqualTo(3);
		assertThat(progress.processedCount()).isEqualTo(3);
		assertThat(progress.successCount()).isEqualTo(2);
		assertThat(progress.failedCount()).isEqualTo(1);
		assertThat(progress.status()).isEqualTo(BatchStatus.TASK_SUCCEEDED);
		assertThat(progress.items()).extracting(ItemProgress::state)
			.containsExactly(ItemState.SUCCEEDED, ItemState.FAILED, ItemState.SUCCEEDED);
		ItemProgress first = progress.items().get(0);
		assertThat(first.name()).isEqualTo("image-0.png");
		assertThat(first.image().key()).isEqualTo(stored(batch, 0).image().key());
		ItemProgress second = progress.items().get(1);
		assertThat(second.errorCode()).isEqualTo("TOO_LARGE");
		assertThat(second.errorMessage()).isEqualTo(Batches.TOO_LARGE_MESSAGE);
	}

	@Test
	void aDuplicateResultChangesNothing() {
		BatchSubmitted batch = aBatchOf(3);
		submit(batch);
		report(stored(batch, 0));
		report(stored(batch, 0));
		report(failed(batch, 0));

		BatchProgress progress = progressOf(batch);
		assertThat(progress.processedCount()).isEqualTo(1);
		assertThat(progress.successCount()).isEqualTo(1);
		assertThat(progress.failedCount()).isZero();
		assertThat(progress.items().get(0).state()).as("the first terminal result of an attempt wins")
			.isEqualTo(ItemState.SUCCEEDED);
	}

	@Test
	void resultsBeforeTheirSubmissionWaitForIt() {
		BatchSubmitted batch = aBatchOf(3);
		report(stored(batch, 2));
		report(failed(batch, 0));

		BatchProgress early = store.get(batch.key().toString());
		assertThat(early.submitted()).as("not a batch yet").isFalse();
		assertThat(early.unmatched()).extracting(ItemProgress::index).containsExactly(0, 2);

		submit(batch);
		BatchProgress progress = progressOf(batch);
		assertThat(progress.submitted()).isTrue();
		assertThat(progress.unmatched()).isEmpty();
		assertThat(progress.items()).extracting(ItemProgress::state)
			.containsExactly(ItemState.FAILED, ItemState.PENDING, ItemState.SUCCEEDED);
		assertThat(progress.items()).extracting(ItemProgress::name)
			.containsExactly("image-0.png", "image-1.png", "image-2.png");
		assertThat(progress.status()).isEqualTo(BatchStatus.TASK_PROCESSING);
	}

	@Test
	void aHigherAttemptReplacesAFailureAndAStaleAttemptDoesNot() {
		BatchSubmitted batch = aBatchOf(2);
		submit(batch);
		report(failed(batch, 1, 1));
		report(stored(batch, 1, 2));
		assertThat(progressOf(batch).items().get(1).state()).isEqualTo(ItemState.SUCCEEDED);
		assertThat(progressOf(batch).items().get(1).attempt()).isEqualTo(2);

		report(failed(batch, 1, 1));
		BatchProgress progress = progressOf(batch);
		assertThat(progress.items().get(1).state()).isEqualTo(ItemState.SUCCEEDED);
		assertThat(progress.successCount()).isEqualTo(1);
		assertThat(progress.failedCount()).isZero();
	}

	@Test
	void statusGoesFromPendingThroughProcessingToSucceeded() {
		BatchSubmitted batch = aBatchOf(2);
		submit(batch);
		assertThat(progressOf(batch).status()).isEqualTo(BatchStatus.TASK_PENDING);
		assertThat(progressOf(batch).processedCount()).isZero();

		report(failed(batch, 0));
		assertThat(progressOf(batch).status()).isEqualTo(BatchStatus.TASK_PROCESSING);

		report(stored(batch, 1));
		assertThat(progressOf(batch).status()).isEqualTo(BatchStatus.TASK_SUCCEEDED);
	}

	@Test
	void countsNeverExceedTheTotal() {
		BatchSubmitted batch = aBatchOf(2);
		report(stored(batch, 7));
		submit(batch);
		report(stored(batch, 2));
		report(failed(batch, -1));
		for (int i = 0; i < 3; i++) {
			report(stored(batch, 0));
			report(stored(batch, 1));
			report(failed(batch, 1));
		}

		BatchProgress progress = progressOf(batch);
		assertThat(progress.totalCount()).isEqualTo(2);
		assertThat(progress.processedCount()).isEqualTo(2);
		assertThat(progress.successCount() + progress.failedCount()).isEqualTo(2);
		assertThat(progress.items()).extracting(ItemProgress::index).containsExactly(0, 1);
	}

	@Test
	void itemsStayInIndexOrderWhateverTheOrderOfResults() {
		BatchSubmitted batch = aBatchOf(4);
		report(stored(batch, 3));
		report(stored(batch, 1));
		submit(batch);
		report(failed(batch, 2));
		report(stored(batch, 0));

		assertThat(progressOf(batch).items()).extracting(ItemProgress::index).containsExactly(0, 1, 2, 3);
	}

	@Test
	void aSecondSubmissionOfTheSameBatchDoesNotResetIt() {
		BatchSubmitted batch = aBatchOf(2);
		submit(batch);
		report(stored(batch, 0));
		submit(batch);

		assertThat(progressOf(batch).processedCount()).isEqualTo(1);
	}

	@Test
	void batchesAreKeptApart() {
		BatchSubmitted one = aBatchOf("acme", "one", 1);
		BatchSubmitted two = aBatchOf("acme", "two", 1);
		submit(one);
		submit(two);
		report(stored(one, 0));

		assertThat(progressOf(one).status()).isEqualTo(BatchStatus.TASK_SUCCEEDED);
		assertThat(progressOf(two).status()).isEqualTo(BatchStatus.TASK_PENDING);
	}

	@Test
	void theStoreValueRoundTripsAndKeepsNoDerivedCounts() {
		BatchSubmitted batch = aBatchOf(2);
		BatchProgress progress = Batches.progressOf(batch, stored(batch, 0), failed(batch, 1));
		var serde = new JsonSerde<>(BatchProgress.class);

		byte[] bytes = serde.serialize(BatchProgressTopology.STORE, progress);

		assertThat(serde.deserialize(BatchProgressTopology.STORE, bytes)).isEqualTo(progress);
		assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain("Count", "\"status\"", "terminal");
	}

	@Test
	void theTopologyDoesNotRepartition() {
		StreamsBuilder builder = new StreamsBuilder();
		BatchProgressTopology.build(builder);
		Topology topology = builder.build();

		assertThat(topology.describe().subtopologies()).hasSize(1);
		assertThat(topology.describe().toString()).doesNotContain("repartition");
	}

	private void submit(BatchSubmitted batch) {
		batches.pipeInput(batch.key().toString(), batch);
	}

	private void report(ItemResult result) {
		results.pipeInput(result.batchKey().toString(), result);
	}

	private BatchProgress progressOf(BatchSubmitted batch) {
		return store.get(batch.key().toString());
	}

}
