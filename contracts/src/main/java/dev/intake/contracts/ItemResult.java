package dev.intake.contracts;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The final outcome of one item, published by a worker to {@link Topics#RESULTS} keyed by the
 * batch key. At-least-once: the status view keeps one terminal state per item, so a duplicate
 * changes nothing.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({ @JsonSubTypes.Type(value = ItemResult.ImageStored.class, name = "stored"),
		@JsonSubTypes.Type(value = ItemResult.ImageFailed.class, name = "failed") })
public sealed interface ItemResult {

	String tenant();

	String batchId();

	String itemId();

	int index();

	/** The {@link IngestImage#attempt()} this is the outcome of; a higher attempt supersedes. */
	int attempt();

	Instant processedAt();

	default BatchKey batchKey() {
		return new BatchKey(tenant(), batchId());
	}

	/**
	 * The item's image is stored and measured. On {@link Topics#CANDIDATES} (its
	 * {@link StoredImage#object()} an upload the worker verified) it is a candidate the content
	 * index decides on; on {@link Topics#RESULTS} it is final.
	 */
	record ImageStored(String tenant, String batchId, String itemId, int index, int attempt, StoredImage image,
			Instant processedAt) implements ItemResult {

		/** The key of this content in the content index: {@code tenant/sha256}. */
		public String contentKey() {
			return ObjectKeys.contentKey(tenant, image.sha256());
		}

		/** Whether this is a candidate for the content index rather than a final result. */
		public boolean isCandidate() {
			return image.object() != null && image.object().startsWith(ObjectKeys.UPLOADS_PREFIX);
		}

		/** This result with another image. */
		public ImageStored with(StoredImage decided) {
			return new ImageStored(tenant, batchId, itemId, index, attempt, decided, processedAt);
		}

	}

	/**
	 * The item failed for good.
	 *
	 * @param code a stable {@link ItemError} name
	 * @param message readable, safe to show to the client
	 */
	record ImageFailed(String tenant, String batchId, String itemId, int index, int attempt, String code,
			String message,
			Instant processedAt) implements ItemResult {
	}

}
