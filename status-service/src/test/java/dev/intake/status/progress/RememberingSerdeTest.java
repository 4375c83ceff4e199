package dev.intake.status.progress;

import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.JsonSerde;
import org.junit.jupiter.api.Test;

import static dev.intake.status.progress.Batches.aBatchOf;
import static dev.intake.status.progress.Batches.progressOf;
import static dev.intake.status.progress.Batches.stored;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The progress store's serde: what it wrote or read last is read back as the same object,
 * anything else is parsed, and it never answers bytes with a value they do not hold.
 */
class RememberingSerdeTest {

	private static final String TOPIC = "changelog";

	private final JsonSerde<BatchProgress> json = new JsonSerde<>(BatchProgress.class);

	private final RememberingSerde<BatchProgress> serde = new RememberingSerde<>(json, 2);

	private final BatchSubmitted batch = aBatchOf(3);

	@Test
	void bytesItWroteAreReadBackAsTheValueWritten() {
		BatchProgress written = progressOf(batch, stored(batch, 0));

		byte[] bytes = serde.serialize(TOPIC, written);

		assertThat(serde.deserialize(TOPIC, bytes.clone())).isSameAs(written);
	}

	@Test
	void otherBytesAreParsed() {
		BatchProgress elsewhere = progressOf(batch, stored(batch, 1));
		serde.serialize(TOPIC, progressOf(batch, stored(batch, 0)));

		BatchProgress read = serde.deserialize(TOPIC, json.serialize(TOPIC, elsewhere));

		assertThat(read).isEqualTo(elsewhere).isNotSameAs(elsewhere);
	}

	@Test
	void bytesItReadAreParsedOnceAndThenAnsweredWithTheSameValue() {
		BatchProgress elsewhere = progressOf(batch, stored(batch, 1));
		byte[] bytes = json.serialize(TOPIC, elsewhere);

		BatchProgress first = serde.deserialize(TOPIC, bytes);
		bytes[0] = ' '; // the caller may reuse its array: what was remembered is a copy

		assertThat(serde.deserialize(TOPIC, json.serialize(TOPIC, elsewhere))).isSameAs(first).isEqualTo(elsewhere);
	}

	@Test
	void readsOfOtherBatchesNeverPushOutWhatWasWritten() {
		BatchProgress written = progressOf(batch, stored(batch, 0));
		byte[] bytes = serde.serialize(TOPIC, written);
		for (String batchId : java.util.List.of("other-1", "other-2", "other-3")) {
			BatchSubmitted other = aBatchOf("acme", batchId, 2);
			serde.deserialize(TOPIC, json.serialize(TOPIC, progressOf(other, stored(other, 1))));
		}

		assertThat(serde.deserialize(TOPIC, bytes.clone())).isSameAs(written);
	}

	@Test
	void changingTheArrayItReturnedDoesNotChangeWhatItRemembers() {
		BatchProgress written = progressOf(batch, stored(batch, 0));
		byte[] bytes = serde.serialize(TOPIC, written);
		byte[] original = bytes.clone();

		bytes[bytes.length / 2] ^= 1;

		assertThat(serde.deserialize(TOPIC, original)).isSameAs(written);
	}

	@Test
	void remembersOnlyTheMostRecentValues() {
		BatchProgress first = progressOf(batch, stored(batch, 0));
		byte[] firstBytes = serde.serialize(TOPIC, first);
		serde.serialize(TOPIC, progressOf(batch, stored(batch, 1)));
		serde.serialize(TOPIC, progressOf(batch, stored(batch, 2)));

		assertThat(serde.size()).isEqualTo(2);
		assertThat(serde.deserialize(TOPIC, firstBytes)).isEqualTo(first).isNotSameAs(first);
	}

	@Test
	void valuesThatDifferInOneByteTheHashDoesNotSampleAreToldApart() {
		BatchSubmitted large = aBatchOf(300);
		BatchProgress one = progressOf(large, stored(large, 150));
		BatchProgress other = progressOf(large, stored(large, 151));
		byte[] oneBytes = serde.serialize(TOPIC, one);
		byte[] otherBytes = json.serialize(TOPIC, other);

		assertThat(serde.deserialize(TOPIC, otherBytes)).isEqualTo(other).isNotSameAs(one);
		assertThat(serde.deserialize(TOPIC, oneBytes)).isSameAs(one);
	}

	@Test
	void nullStaysNull() {
		assertThat(serde.serialize(TOPIC, null)).isNull();
		assertThat(serde.deserialize(TOPIC, null)).isNull();
	}

}
