package dev.intake.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchRecordSerdeTest {

	private final BatchRecordSerde serde = new BatchRecordSerde();

	private final BatchSubmitted submitted = new BatchSubmitted("local", "b-1", Instant.parse("2026-01-02T03:04:05Z"),
			List.of(new SubmittedItem(0, "local/b-1/0", "a.png", new ItemSource.Remote("https://x/a.png"))));

	@Test
	void submissionsKeepTheBytesTheyAlwaysHadAndReadBackAsSubmissions() {
		byte[] asBefore = Topics.BATCHES.valueSerde().serializer().serialize("t", submitted);

		assertThat(serde.serialize("t", submitted)).isEqualTo(asBefore);
		assertThat(serde.deserialize("t", asBefore)).isEqualTo(submitted);
	}

	@Test
	void aClientsBatchIsWrittenWithoutTheInternalMarkAndARecordWithoutItIsAClientsBatch() {
		String old = """
				{"tenant":"local","batchId":"b-1","submittedAt":"2026-01-02T03:04:05Z","items":[{"index":0,\
				"itemId":"local/b-1/0","name":"a.png","source":{"kind":"url","url":"https://x/a.png"}}]}""";

		assertThat(new String(serde.serialize("t", submitted), StandardCharsets.UTF_8)).doesNotContain("internal");
		for (var read : List.of(serde.deserialize("t", old.getBytes(StandardCharsets.UTF_8)),
				Topics.BATCHES.valueSerde().deserializer().deserialize("t", old.getBytes(StandardCharsets.UTF_8)))) {
			assertThat(read).isEqualTo(submitted);
			assertThat(((BatchSubmitted) read).internal()).isFalse();
		}
	}

	@Test
	void anInternalBatchKeepsItsMarkThroughEitherSerde() {
		var internal = new BatchSubmitted("local", "vault-1", submitted.submittedAt(), submitted.items(), true);

		byte[] bytes = Topics.BATCHES.valueSerde().serializer().serialize("t", internal);

		assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"internal\":true");
		assertThat(serde.serialize("t", internal)).isEqualTo(bytes);
		assertThat(serde.deserialize("t", bytes)).isEqualTo(internal);
		assertThat(Topics.BATCHES.valueSerde().deserializer().deserialize("t", bytes).internal()).isTrue();
	}

	@Test
	void retryRoundsAreToldApartByTheirRetryRoundField() {
		var retried = new BatchRetried("local", "b-1", 2, List.of(0, 3), Instant.parse("2026-01-03T00:00:00Z"));

		byte[] bytes = Topics.BATCH_RECORDS.valueSerde().serializer().serialize("t", retried);

		assertThat(new String(bytes)).contains("\"retryRound\":2").contains("\"indices\":[0,3]");
		assertThat(Topics.BATCH_RECORDS.valueSerde().deserializer().deserialize("t", bytes)).isEqualTo(retried);
		assertThat(BatchRetried.attemptOf(retried.retryRound())).isEqualTo(3);
	}

	@Test
	void somethingElseIsASerializationError() {
		assertThatThrownBy(() -> serde.deserialize("t", "[1,2]".getBytes()))
			.isInstanceOf(SerializationException.class);
		assertThatThrownBy(() -> serde.deserialize("t", "{oops".getBytes()))
			.isInstanceOf(SerializationException.class);
		assertThatThrownBy(() -> serde.deserialize("t", "{\"tenant\":\"local\"}".getBytes()))
			.isInstanceOf(SerializationException.class);
	}

}
