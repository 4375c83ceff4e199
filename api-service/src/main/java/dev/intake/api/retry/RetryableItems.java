package dev.intake.api.retry;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.intake.contracts.ItemSource;

/**
 * The status-service's answer to {@code GET /internal/batches/{tenant}/{batchId}/retryable}: where
 * the batch stands and its failed items that a retry round can change, with their sources.
 */
record RetryableItems(@JsonProperty("batch_id") String batchId, @JsonProperty("status") String status,
		@JsonProperty("retry_round") int retryRound, @JsonProperty("total_count") int totalCount,
		@JsonProperty("failed_count") int failedCount, @JsonProperty("items") List<Item> items) {

	/** The status of a batch whose every item is finished. */
	static final String FINISHED = "TASK_SUCCEEDED";

	RetryableItems {
		items = (items != null) ? List.copyOf(items) : List.of();
	}

	/** One failed item that can run again. */
	record Item(@JsonProperty("index") int index, @JsonProperty("item_id") String itemId,
			@JsonProperty("name") String name, @JsonProperty("source") ItemSource source) {
	}

	/** The bach.art batch-upload API's envelope around it. */
	record Envelope(@JsonProperty("code") int code, @JsonProperty("data") RetryableItems data) {
	}

}
