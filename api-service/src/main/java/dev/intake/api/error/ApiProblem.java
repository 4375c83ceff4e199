package dev.intake.api.error;

import java.time.Duration;

import dev.intake.contracts.ApiError;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * An answer the client gets instead of a success: HTTP status, numeric code and a message safe to
 * show. Thrown or emitted anywhere; {@link ApiErrorHandler} writes it as
 * {@code {"code": …, "message": "…"}} with its headers. Carries no stack trace.
 */
public class ApiProblem extends RuntimeException {

	private final HttpStatus status;

	private final int code;

	private final HttpHeaders headers;

	private final Object body;

	public ApiProblem(HttpStatus status, int code, String message) {
		this(status, code, message, HttpHeaders.EMPTY, null);
	}

	private ApiProblem(HttpStatus status, int code, String message, HttpHeaders headers, Object body) {
		super(message, null, false, false);
		this.status = status;
		this.code = code;
		this.headers = headers;
		this.body = body;
	}

	/**
	 * A problem answered with {@code body} (written as JSON) instead of Intake's envelope: the error
	 * shape of a compatible API, for the routes that serve it. {@code message} is for logs.
	 */
	public static ApiProblem withBody(HttpStatus status, String message, Object body) {
		return new ApiProblem(status, status.value(), message, HttpHeaders.EMPTY, body);
	}

	/** 400 with code 1000: the request is invalid as a whole. */
	public static ApiProblem badRequest(String message) {
		return new ApiProblem(HttpStatus.BAD_REQUEST, ApiError.INVALID_REQUEST, message);
	}

	/** 400 with code 1000 for a request the request firewall refuses (its method, path or headers). */
	public static ApiProblem notAllowedByFirewall() {
		return badRequest("The request's method, path or headers are not allowed: a path must not hold encoded "
				+ "slashes, backslashes, percent signs, dots or semicolons (%2F, %5C, %25, %2E, ;), nor control characters.");
	}

	/** 404 with code 404, for paths and objects that do not exist. */
	public static ApiProblem notFound() {
		return new ApiProblem(HttpStatus.NOT_FOUND, HttpStatus.NOT_FOUND.value(), "Not found.");
	}

	/** 503 with code 1500 and a {@code Retry-After} header: a dependency is down, try again. */
	public static ApiProblem unavailable(String message, Duration retryAfter) {
		return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, ApiError.UNAVAILABLE, message)
			.withHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
	}

	/** A copy of this problem that also sends the given response header. */
	public ApiProblem withHeader(String name, String value) {
		HttpHeaders copy = new HttpHeaders();
		copy.addAll(this.headers);
		copy.set(name, value);
		return new ApiProblem(this.status, this.code, getMessage(), HttpHeaders.readOnlyHttpHeaders(copy), this.body);
	}

	/** A copy of this problem (status, message, headers) answered with {@code body} instead of Intake's envelope. */
	public ApiProblem withBody(Object body) {
		return new ApiProblem(this.status, this.code, getMessage(), this.headers, body);
	}

	/** The body in a compatible API's own shape, or null for Intake's {@code {"code","message"}}. */
	public Object body() {
		return body;
	}

	public HttpStatus status() {
		return status;
	}

	public int code() {
		return code;
	}

	public HttpHeaders headers() {
		return headers;
	}

}
