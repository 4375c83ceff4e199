package dev.intake.api.assets;

import java.time.Duration;

/**
 * Why a single-file upload got no asset, for the adapter to answer in its API's own error shape.
 * The message is readable and safe to show. Carries no stack trace.
 */
public final class FileRefused extends RuntimeException {

	/** What went wrong, which decides the HTTP status an adapter answers with. */
	public enum Reason {

		/** The request is not a multipart form, or not a well-formed one (400). */
		MALFORMED(400),
		/** No file part under the expected field name (400). */
		MISSING_FILE(400),
		/** The file field is a text field, not a file (400). */
		NOT_A_FILE(400),
		/** More than one file under the file field (400). */
		SEVERAL_FILES(400),
		/** A field that takes one value given more than once; {@link #field()} names it (400). */
		REPEATED_FIELD(400),
		/** The bytes are of a type this API does not accept (400). */
		UNSUPPORTED_TYPE(400),
		/** The bytes claim an accepted type but cannot be read as one (400). */
		UNREADABLE(400),
		/** The asset to replace does not exist for the tenant (404). */
		UNKNOWN_ASSET(404),
		/** Over the size or pixel limit (413). */
		TOO_LARGE(413),
		/** The tenant's rate of images is used up (429, Retry-After). */
		RATE_LIMITED(429),
		/** Storage, queue or status-service unavailable, or the answer's deadline passed (503, Retry-After). */
		UNAVAILABLE(503);

		private final int status;

		Reason(int status) {
			this.status = status;
		}

		/** The HTTP status that fits. */
		public int status() {
			return status;
		}

	}

	private final Reason reason;

	private final Duration retryAfter;

	private final String field;

	FileRefused(Reason reason, String message) {
		this(reason, message, Duration.ZERO);
	}

	FileRefused(Reason reason, String message, Duration retryAfter) {
		this(reason, message, retryAfter, null);
	}

	private FileRefused(Reason reason, String message, Duration retryAfter, String field) {
		super(message, null, false, false);
		this.reason = reason;
		this.retryAfter = retryAfter;
		this.field = field;
	}

	static FileRefused repeatedField(String field) {
		return new FileRefused(Reason.REPEATED_FIELD, field + " must be given at most once.", Duration.ZERO, field);
	}

	/** For {@link Reason#REPEATED_FIELD}: the field; otherwise null. */
	public String field() {
		return field;
	}

	public Reason reason() {
		return reason;
	}

	/** For {@link Reason#UNAVAILABLE} and {@link Reason#RATE_LIMITED}: when to try again (whole seconds, at least 1). */
	public long retryAfterSeconds() {
		return Math.max(1, retryAfter.toSeconds());
	}

	static FileRefused unavailable(String message, Duration retryAfter) {
		return new FileRefused(Reason.UNAVAILABLE, message, retryAfter);
	}

}
