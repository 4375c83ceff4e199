package dev.intake.contracts;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SerdeRoundTripTest {

	private final BatchKey batch = new BatchKey("local", "b-1");

	@Test
	void batchSubmittedKeepsItsItemsAndSources() {
		var staged = new ItemSource.Staged(new BlobRef("intake", "staging/local/u/0", 12, "image/png"), "a.png");
		var submitted = new BatchSubmitted("local", "b-1", Instant.parse("2026-01-02T03:04:05Z"),
				List.of(new SubmittedItem(0, ItemIds.of(batch, 0), "a.png", staged),
						new SubmittedItem(1, ItemIds.of(batch, 1), "b.jpg", new ItemSource.Remote("https://x/b.jpg"))));

		byte[] bytes = Topics.BATCHES.valueSerde().serializer().serialize("t", submitted);
		BatchSubmitted read = Topics.BATCHES.valueSerde().deserializer().deserialize("t", bytes);

		assertThat(read).isEqualTo(submitted);
		assertThat(new String(bytes)).contains("\"kind\":\"staged\"").doesNotContain("dev.intake");
	}

	@Test
	void resultsArePolymorphicByKind() {
		ItemResult stored = new ItemResult.ImageStored("local", "b-1", "local/b-1/0", 0, 1,
				new StoredImage("intake", "images/local/ab.png", 12, "image/png", ImageFormat.PNG, "m", "s", 1, 2),
				Instant.EPOCH);
		ItemResult failed = new ItemResult.ImageFailed("local", "b-1", "local/b-1/1", 1, 1,
				ItemError.CORRUPT_IMAGE.name(), "bad", Instant.EPOCH);

		for (ItemResult result : List.of(stored, failed)) {
			byte[] bytes = Topics.RESULTS.valueSerde().serializer().serialize("t", result);
			assertThat(Topics.RESULTS.valueSerde().deserializer().deserialize("t", bytes)).isEqualTo(result);
		}
	}

	@Test
	void unknownFieldsAreIgnoredSoProducersCanAddOptionalFields() {
		String json = "{\"kind\":\"url\",\"url\":\"https://x/y.png\",\"addedLater\":true}";
		ItemSource source = new JsonSerde<>(ItemSource.class).deserialize("t", json.getBytes());
		assertThat(source).isEqualTo(new ItemSource.Remote("https://x/y.png"));
	}

	@Test
	void garbageIsASerializationError() {
		assertThatThrownBy(() -> Topics.JOBS.valueSerde().deserializer().deserialize("t", "{oops".getBytes()))
			.isInstanceOf(org.apache.kafka.common.errors.SerializationException.class);
	}

	@Test
	void batchKeysRefuseSlashesAndOddCharacters() {
		assertThat(BatchKey.parse("local/b-1")).isEqualTo(batch);
		assertThat(BatchKey.isValidBatchId("my-batch_002.x")).isTrue();
		assertThat(BatchKey.isValidBatchId("a/b")).isFalse();
		assertThat(BatchKey.isValidBatchId("")).isFalse();
		assertThat(BatchKey.isValidBatchId(".")).isFalse();
		assertThat(BatchKey.isValidBatchId("..")).isFalse();
		assertThat(BatchKey.isValidBatchId("...")).isTrue();
		assertThat(BatchKey.isValidBatchId(".a")).isTrue();
		assertThat(BatchKey.isValidBatchId("x".repeat(65))).isFalse();
		assertThatThrownBy(() -> new BatchKey("lo/cal", "b")).isInstanceOf(IllegalArgumentException.class);
	}

}
