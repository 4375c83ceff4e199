package dev.intake.api.compat.anqicms;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.intake.api.assets.FileRefused;
import dev.intake.api.error.ApiProblem;
import dev.intake.api.error.CompatibleRefusals;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

/**
 * The AnqiCMS attachment upload's errors: {@code {"code":-1,"msg":"…"}} with a readable reason and
 * a matching HTTP status; {@code 1001} not logged in (401), {@code 1002} unauthorized (403).
 */
final class AnqiErrors implements CompatibleRefusals {

	static final int ERROR = -1;

	static final int NOT_LOGGED_IN = 1001;

	static final int UNAUTHORIZED = 1002;

	/** The error body. */
	@JsonPropertyOrder({ "code", "msg" })
	record Body(int code, String msg) {
	}

	static ApiProblem error(HttpStatus status, String message) {
		return ApiProblem.withBody(status, message, new Body(ERROR, message));
	}

	static ApiProblem of(FileRefused refused) {
		HttpStatus status = HttpStatus.valueOf(refused.reason().status());
		ApiProblem problem = error(status, refused.getMessage());
		if (status == HttpStatus.SERVICE_UNAVAILABLE || status == HttpStatus.TOO_MANY_REQUESTS) {
			problem = problem.withHeader(HttpHeaders.RETRY_AFTER, Long.toString(refused.retryAfterSeconds()));
		}
		return problem;
	}

	@Override
	public boolean serves(ServerWebExchange exchange) {
		return AttachmentUploadController.PATH.equals(exchange.getRequest().getPath().pathWithinApplication().value());
	}

	@Override
	public ApiProblem unauthorized(ServerWebExchange exchange) {
		String message = "Not logged in: the token is missing or invalid.";
		return ApiProblem.withBody(HttpStatus.UNAUTHORIZED, message, new Body(NOT_LOGGED_IN, message));
	}

	@Override
	public ApiProblem forbidden(ServerWebExchange exchange) {
		String message = "Unauthorized: the token may not upload files.";
		return ApiProblem.withBody(HttpStatus.FORBIDDEN, message, new Body(UNAUTHORIZED, message));
	}

	/** Rate limits, slow bodies, a wrong method …: the same status, message and headers, in this shape. */
	@Override
	public ApiProblem reshape(ServerWebExchange exchange, ApiProblem problem) {
		return problem.withBody(new Body(ERROR, problem.getMessage()));
	}

}
