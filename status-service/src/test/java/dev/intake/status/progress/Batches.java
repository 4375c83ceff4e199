package dev.intake.status.progress;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import dev.intake.contracts.BatchKey;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.BlobRef;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.ItemIds;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.ObjectKeys;
import dev.intake.contracts.StoredImage;
import dev.intake.contracts.SubmittedItem;

/** Readable fixtures: {@code aBatchOf(3)}, {@code stored(batch, 0)}, {@code failed(batch, 1)}. */
public final class Batches {

	public static final Instant NOW = Instant.parse("2026-01-06T10:00:00Z");

	/** The bach.art API's example of an item failure message. */
	public static final String TOO_LARGE_MESSAGE = "Image size from URL is 15.00MB, exceeds the maximum limit of 10MB.";

	private Batches() {
	}

	/** A batch of {@code size} staged images named {@code image-<index>.png}. */
	public static BatchSubmitted aBatchOf(int size) {
		return aBatchOf("acme", "batch-1", size);
	}

	public static BatchSubmitted aBatchOf(String tenant, String batchId, int size) {
		BatchKey key = new BatchKey(tenant, batchId);
		List<SubmittedItem> items = IntStream.range(0, size)
			.mapToObj(index -> new SubmittedItem(index, ItemIds.of(key, index), "image-" + index + ".png",
					staged(tenant, index)))
			.toList();
		return new BatchSubmitted(tenant, batchId, NOW, items);
	}

	/** The same batch as one Intake queued for itself ({@link BatchSubmitted#internal()}). */
	public static BatchSubmitted internal(BatchSubmitted batch) {
		return new BatchSubmitted(batch.tenant(), batch.batchId(), batch.submittedAt(), batch.items(), true);
	}

	private static ItemSource staged(String tenant, int index) {
		BlobRef blob = new BlobRef("intake", ObjectKeys.staged(tenant, "up-1", index), 100, "image/png");
		return new ItemSource.Staged(blob, "image-" + index + ".png");
	}

	public static ItemResult.ImageStored stored(BatchSubmitted batch, int index) {
		return stored(batch, index, 1);
	}

	public static ItemResult.ImageStored stored(BatchSubmitted batch, int index, int attempt) {
		String sha256 = String.format("%064x", index + 1);
		String key = ObjectKeys.original(batch.tenant(), sha256, ImageFormat.PNG);
		StoredImage image = new StoredImage("intake", key, 2048, "image/png", ImageFormat.PNG,
				String.format("%032x", index + 1), sha256, 640, 480);
		return new ItemResult.ImageStored(batch.tenant(), batch.batchId(), ItemIds.of(batch.key(), index), index,
				attempt, image, NOW.plusSeconds(index));
	}

	public static ItemResult.ImageFailed failed(BatchSubmitted batch, int index) {
		return failed(batch, index, 1);
	}

	public static ItemResult.ImageFailed failed(BatchSubmitted batch, int index, int attempt) {
		return new ItemResult.ImageFailed(batch.tenant(), batch.batchId(), ItemIds.of(batch.key(), index), index,
				attempt, "TOO_LARGE", TOO_LARGE_MESSAGE, NOW.plusSeconds(index));
	}

	/** The progress the topology computes from a batch and then these results, in order. */
	public static BatchProgress progressOf(BatchSubmitted batch, ItemResult... results) {
		BatchProgress progress = BatchProgress.none().withSubmission(batch);
		for (ItemResult result : results) {
			progress = progress.withResult(result);
		}
		return progress;
	}

}
