package dev.intake.status.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.intake.contracts.ApiError;

/**
 * The bach.art batch-upload API's response envelope: {@code {"code":200,"message":"success","data":{…}}} on success,
 * {@code {"code":1203,"message":"…"}} on error (no {@code data}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "code", "message", "data" })
record ApiResponse(int code, String message, Object data) {

	static final String UNAVAILABLE_MESSAGE = "Batch status is temporarily unavailable, please retry.";

	static ApiResponse success(Object data) {
		return new ApiResponse(200, "success", data);
	}

	static ApiResponse batchNotFound() {
		return new ApiResponse(ApiError.BATCH_NOT_FOUND, ApiError.BATCH_NOT_FOUND_MESSAGE, null);
	}

	static ApiResponse unavailable() {
		return new ApiResponse(ApiError.UNAVAILABLE, UNAVAILABLE_MESSAGE, null);
	}

}
