package dev.intake.status.view;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.intake.contracts.ItemSource;
import dev.intake.status.progress.BatchProgress;
import dev.intake.status.progress.ItemProgress;

/**
 * The {@code data} of the internal retryable-items answer: where the batch stands and the failed
 * items a retry round would run again, each with the source it was submitted with. Internal only
 * (it carries staged keys and URLs); the api-service turns it into a retry round.
 *
 * @param retryRound the last retry round applied to the batch, 0 before any
 */
@JsonPropertyOrder({ "batch_id", "status", "retry_round", "total_count", "failed_count", "items" })
public record RetryableItemsView(@JsonProperty("batch_id") String batchId, @JsonProperty("status") String status,
		@JsonProperty("retry_round") int retryRound, @JsonProperty("total_count") int totalCount,
		@JsonProperty("failed_count") int failedCount, @JsonProperty("items") List<Item> items) {

	public static RetryableItemsView of(String batchId, BatchProgress progress) {
		List<Item> items = progress.retryableItems()
			.stream()
			.map(item -> new Item(item.index(), item.itemId(), item.name(), item.errorCode(), item.archive(),
					item.entry(), item.source()))
			.toList();
		return new RetryableItemsView(batchId, progress.status().name(), progress.retryRound(), progress.totalCount(),
				progress.failedCount(), items);
	}

	/** One failed item that can run again. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonPropertyOrder({ "index", "item_id", "name", "error_code", "archive", "entry", "source" })
	record Item(@JsonProperty("index") int index, @JsonProperty("item_id") String itemId,
			@JsonProperty("name") String name, @JsonProperty("error_code") String errorCode,
			@JsonProperty("archive") String archive, @JsonProperty("entry") String entry,
			@JsonProperty("source") ItemSource source) {
	}

}
