package dev.intake.contracts;

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
