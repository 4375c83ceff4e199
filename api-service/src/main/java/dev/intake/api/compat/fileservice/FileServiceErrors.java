package dev.intake.api.compat.fileservice;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.intake.api.error.ApiProblem;
import dev.intake.api.error.CompatibleRefusals;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

/**
 * The Capillary file service's errors, in the shape of its answers:
 * {@code {"code":<HTTP status>,"status":"false","message":"…"}} with that HTTP status.
 */
final class FileServiceErrors implements CompatibleRefusals {

	/** The error body. */
	@JsonPropertyOrder({ "code", "status", "message" })
	record Body(int code, String status, String message) {
	}

	static ApiProblem of(HttpStatus status, String message) {
		return ApiProblem.withBody(status, message, new Body(status.value(), "false", message));
	}

	static ApiProblem badRequest(String message) {
		return of(HttpStatus.BAD_REQUEST, message);
	}

	static ApiProblem notFound(String message) {
		return of(HttpStatus.NOT_FOUND, message);
	}

	static ApiProblem unavailable(String message) {
		return of(HttpStatus.SERVICE_UNAVAILABLE, message).withHeader(HttpHeaders.RETRY_AFTER, "1");
	}

	@Override
	public boolean serves(ServerWebExchange exchange) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		return path.equals(FileServiceController.BASE) || path.startsWith(FileServiceController.BASE + "/")
				|| path.startsWith(SignedFileController.BASE);
	}

	@Override
	public ApiProblem unauthorized(ServerWebExchange exchange) {
		return of(HttpStatus.UNAUTHORIZED, "Missing or invalid credentials.")
			.withHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"file-service\"");
	}

	@Override
	public ApiProblem forbidden(ServerWebExchange exchange) {
		return of(HttpStatus.FORBIDDEN, "The credential does not grant the scope this request needs.");
	}

	/** Rate limits, slow bodies, unknown routes …: the same status, message and headers, in this shape. */
	@Override
	public ApiProblem reshape(ServerWebExchange exchange, ApiProblem problem) {
		ApiProblem shaped = of(problem.status(), problem.getMessage());
		for (var header : problem.headers().headerSet()) {
			for (String value : header.getValue()) {
				shaped = shaped.withHeader(header.getKey(), value);
			}
		}
		return shaped;
	}

}
