package dev.intake.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The response envelope of the batch API and of the internal API:
 * {@code {"code":200,"message":"success","data":{…}}} on success, {@code {"code":1203,"message":"…"}}
 * on error ({@code data} is omitted when absent).
 *
 * @param <T> the type of {@code data}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "code", "message", "data" })
public record ApiResponse<T>(int code, String message, T data) {

	/** The {@code code} of every success. */
	public static final int SUCCESS = 200;

	/** The {@code message} of every success. */
	public static final String SUCCESS_MESSAGE = "success";

	/** A success carrying {@code data}. */
	public static <T> ApiResponse<T> success(T data) {
		return new ApiResponse<>(SUCCESS, SUCCESS_MESSAGE, data);
	}

	/** An error: one of the {@link ApiError} codes and its message, no data. */
	public static <T> ApiResponse<T> error(int code, String message) {
		return new ApiResponse<>(code, message, null);
	}

}
