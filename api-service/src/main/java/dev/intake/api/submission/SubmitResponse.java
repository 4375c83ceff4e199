package dev.intake.api.submission;

import dev.intake.api.claims.BatchClaims;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.intake.contracts.ApiResponse;
import dev.intake.contracts.BatchSubmitted;

/** The success answer of a submission: the shared envelope around {@link Data}, exactly as the bach.art batch-upload API shows it. */
record SubmitResponse(@JsonValue ApiResponse<Data> envelope) {

	static final String SUBMITTED_MESSAGE = "Batch file upload task submitted, "
			+ "please use batch id to query upload progress.";

	static SubmitResponse of(BatchSubmitted batch) {
		return of(batch, null);
	}

	/** With the signing secret of the batch's callback, shown in this answer only. */
	static SubmitResponse of(BatchSubmitted batch, String callbackSecret) {
		return new SubmitResponse(ApiResponse.success(new Data(batch.batchId(), batch.items().size(),
				SUBMITTED_MESSAGE, "TASK_PENDING", callbackSecret)));
	}

	/** The first answer again, for a retried request that the batch id's claim recognises. */
	static SubmitResponse of(BatchClaims.Claim claim) {
		return new SubmitResponse(
				ApiResponse.success(new Data(claim.batchId(), claim.totalCount(), SUBMITTED_MESSAGE, "TASK_PENDING", null)));
	}

	record Data(@JsonProperty("batch_id") String batchId, @JsonProperty("total_count") int totalCount,
			String message, String status,
			@JsonProperty("callback_secret") @JsonInclude(JsonInclude.Include.NON_NULL) String callbackSecret) {
	}

}
