package dev.intake.api.retry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.intake.contracts.ApiResponse;
import dev.intake.contracts.BatchRetried;

/**
 * The answer to a retry: the shared envelope and the submit answer's fields (the bach.art batch-upload API), plus how many items
 * run again and the round's number. {@code status} is what the status look-up shows next:
 * {@code TASK_PENDING} when every item runs again, else {@code TASK_PROCESSING}.
 */
record RetryResponse(@JsonValue ApiResponse<Data> envelope) {

	static final String RETRY_MESSAGE = "Batch retry submitted, please use batch id to query upload progress.";

	static RetryResponse of(RetryableItems batch, BatchRetried round) {
		int retried = round.indices().size();
		String status = (retried == batch.totalCount()) ? "TASK_PENDING" : "TASK_PROCESSING";
		return new RetryResponse(ApiResponse.success(
				new Data(round.batchId(), batch.totalCount(), retried, round.retryRound(), RETRY_MESSAGE, status)));
	}

	@JsonPropertyOrder({ "batch_id", "total_count", "retry_count", "retry_round", "message", "status" })
	record Data(@JsonProperty("batch_id") String batchId, @JsonProperty("total_count") int totalCount,
			@JsonProperty("retry_count") int retryCount, @JsonProperty("retry_round") int retryRound,
			@JsonProperty("message") String message, @JsonProperty("status") String status) {
	}

}
