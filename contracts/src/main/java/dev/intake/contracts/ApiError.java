package dev.intake.contracts;

/**
 * Numeric codes of the batch API's error body {@code {"code": …, "message": "…"}}. 1000 and 1203
 * come from the bach.art batch-upload API; the others extend the same scheme. Documented in docs/api.md.
 */
public final class ApiError {

	/** A request that is invalid as a whole (HTTP 400). */
	public static final int INVALID_REQUEST = 1000;

	/** Missing or unknown credentials (HTTP 401). */
	public static final int UNAUTHORIZED = 1001;

	/** A client-chosen batch id that already exists for the tenant (HTTP 409). */
	public static final int BATCH_EXISTS = 1002;

	/** The request body is larger than the service accepts (HTTP 413). */
	public static final int PAYLOAD_TOO_LARGE = 1003;

	/** A valid credential without the scope the request needs (HTTP 403). */
	public static final int FORBIDDEN = 1403;

	/**
	 * A request body that did not arrive in time: silent longer than the read timeout, slower than
	 * the minimum transfer rate, or not complete within the body deadline (HTTP 408).
	 */
	public static final int REQUEST_TIMEOUT = 1408;

	/** A per-tenant rate limit or quota is used up; retry after the Retry-After header (HTTP 429). */
	public static final int RATE_LIMITED = 1429;

	/** Unknown or expired batch, or one of another tenant (HTTP 404). */
	public static final int BATCH_NOT_FOUND = 1203;

	/** A retry of a batch whose items are not all finished yet (HTTP 409). */
	public static final int BATCH_IN_PROGRESS = 1204;

	/** A retry of a batch with no failed item that a retry could change (HTTP 409). */
	public static final int NOTHING_TO_RETRY = 1205;

	/** The service cannot answer right now; retry after the Retry-After header (HTTP 503). */
	public static final int UNAVAILABLE = 1500;

	public static final String BATCH_NOT_FOUND_MESSAGE = "Batch ID does not exist or has expired.";

	private ApiError() {
	}

}
