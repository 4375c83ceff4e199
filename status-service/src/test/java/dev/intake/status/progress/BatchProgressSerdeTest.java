package dev.intake.status.progress;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.intake.contracts.BatchRetried;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.JsonSerde;
import dev.intake.contracts.SubmittedItem;
import org.junit.jupiter.api.Test;

import static dev.intake.status.progress.Batches.aBatchOf;
import static dev.intake.status.progress.Batches.failed;
import static dev.intake.status.progress.Batches.progressOf;
import static dev.intake.status.progress.Batches.stored;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The progress store's writer: every value it writes reads back, with plain {@link JsonSerde},
 * as exactly that value, whichever items it copied from the value written before.
 */
class BatchProgressSerdeTest {

	private static final String TOPIC = "changelog";

	private final JsonSerde<BatchProgress> json = new JsonSerde<>(BatchProgress.class);

	private final BatchProgressSerde serde = new BatchProgressSerde(2);

	@Test
	void everyValueOfABatchReadsBackAsItselfWhileItsResultsArrive() {
		BatchSubmitted batch = aBatchOf(300);
		BatchProgress progress = BatchProgress.none().withSubmission(batch);
		List<BatchProgress> written = new ArrayList<>();
		for (int index = 299; index >= 0; index--) {
			ItemResult result = (index % 7 == 0) ? failed(batch, index) : stored(batch, index);
			progress = progress.withResult(result);
			written.add(progress);
			assertThat(readBack(progress)).isEqualTo(progress);
		}
		assertThat(readBack(written.get(0))).isEqualTo(written.get(0));
	}

	@Test
	void anEqualValueBuiltFromOtherInstancesReadsBackAsItself() {
		BatchSubmitted batch = aBatchOf(3);
		BatchProgress first = progressOf(batch, stored(batch, 0));
		readBack(first);
		BatchProgress parsed = json.deserialize(TOPIC, json.serialize(TOPIC, first));
		BatchProgress next = parsed.withResult(failed(batch, 1));

		assertThat(readBack(next)).isEqualTo(next);
	}

	@Test
	void valuesWithoutItemsOrWithResultsWaitingForTheirBatchReadBackAsThemselves() {
		BatchSubmitted batch = aBatchOf(3);
		BatchProgress none = BatchProgress.none();
		BatchProgress early = none.withResult(stored(batch, 2)).withResult(failed(batch, 0));

		assertThat(readBack(none)).isEqualTo(none);
		assertThat(readBack(early)).isEqualTo(early);
		assertThat(readBack(early.withSubmission(batch))).isEqualTo(early.withSubmission(batch));
	}

	@Test
	void aRetryRoundReadsBackAsItself() {
		BatchSubmitted batch = aBatchOf(3);
		BatchProgress done = progressOf(batch, stored(batch, 0), failed(batch, 1), stored(batch, 2));
		readBack(done);
		BatchProgress retried = done.withRetry(new BatchRetried(batch.tenant(), batch.batchId(), 1, List.of(1),
				Batches.NOW));

		assertThat(readBack(retried)).isEqualTo(retried);
	}

	@Test
	void writesWhatPlainJsonWouldSayAboutEachField() {
		BatchSubmitted plain = aBatchOf(2);
		SubmittedItem odd = plain.items().get(0);
		BatchSubmitted batch = new BatchSubmitted(plain.tenant(), plain.batchId(), plain.submittedAt(),
				List.of(new SubmittedItem(odd.index(), odd.itemId(), "quotes \"and\\ ünïcödé\n.png", odd.source()),
						plain.items().get(1)));
		BatchProgress progress = progressOf(batch, stored(batch, 1));

		assertThat(json.deserialize(TOPIC, serde.serialize(TOPIC, progress)))
			.isEqualTo(json.deserialize(TOPIC, json.serialize(TOPIC, progress)))
			.isEqualTo(progress);
	}

	@Test
	void anInternalBatchReadsBackInternalAndAValueWithoutTheMarkIsAClientsBatch() {
		BatchSubmitted batch = aBatchOf(2);
		BatchProgress internal = progressOf(Batches.internal(batch), stored(batch, 0));
		BatchProgress client = progressOf(batch, stored(batch, 0));

		assertThat(readBack(internal)).isEqualTo(internal).extracting(BatchProgress::internal).isEqualTo(true);
		byte[] written = serde.serialize(TOPIC, client);
		assertThat(new String(written, StandardCharsets.UTF_8)).doesNotContain("internal");
		assertThat(json.deserialize(TOPIC, written)).isEqualTo(client)
			.extracting(BatchProgress::internal)
			.isEqualTo(false);
	}

	@Test
	void remembersTheItemsOfTheMostRecentBatchesOnly() {
		for (String batchId : List.of("b-1", "b-2", "b-3")) {
			BatchSubmitted batch = aBatchOf("acme", batchId, 2);
			readBack(progressOf(batch, stored(batch, 0)));
		}

		assertThat(serde.size()).isEqualTo(2);
	}

	@Test
	void nullStaysNull() {
		assertThat(serde.serialize(TOPIC, null)).isNull();
	}

	private BatchProgress readBack(BatchProgress progress) {
		return serde.deserializer().deserialize(TOPIC, serde.serialize(TOPIC, progress));
	}

}
