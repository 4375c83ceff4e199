package dev.intake.api.compat.nursery;

import java.util.Set;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.intake.api.assets.FileRefused;
import dev.intake.api.auth.PresentedCredential;
import dev.intake.api.error.ApiProblem;
import dev.intake.api.error.CompatibleRefusals;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

/**
 * The nursery image API's errors: {@code {"success":false,"message":"…"}} with a readable message
 * and a matching HTTP status: 400 missing or mistyped parameters, 401 no valid {@code JWT_code},
 * 403 a credential without the scope, 404 a file the tenant does not have; 413, 429 and 503 (with
 * {@code Retry-After}) as for every upload.
 */
final class NurseryErrors implements CompatibleRefusals {

	static final String UNAUTHORIZED = "JWT_code is missing or invalid.";

	static final String FORBIDDEN = "JWT_code does not allow this request.";

	/** The routes of the nursery image API. */
	static final Set<String> PATHS = Set.of(ImageUploadController.PATH, BatchImagesController.LINK_PATH,
			BatchImagesController.LIST_PATH);

	/** The error body. */
	@JsonPropertyOrder({ "success", "message" })
	record Body(boolean success, String message) {
	}

	static ApiProblem error(HttpStatus status, String message) {
		return ApiProblem.withBody(status, message, new Body(false, message));
	}

	static ApiProblem badRequest(String message) {
		return error(HttpStatus.BAD_REQUEST, message);
	}

	static ApiProblem of(FileRefused refused) {
		HttpStatus status = HttpStatus.valueOf(refused.reason().status());
		ApiProblem problem = error(status, refused.getMessage());
		if (status == HttpStatus.SERVICE_UNAVAILABLE || status == HttpStatus.TOO_MANY_REQUESTS) {
			problem = problem.withHeader(HttpHeaders.RETRY_AFTER, Long.toString(refused.retryAfterSeconds()));
		}
		return problem;
	}

	static ApiProblem of(PresentedCredential.Refused refused) {
		return refused.unauthenticated() ? error(HttpStatus.UNAUTHORIZED, UNAUTHORIZED)
				: error(HttpStatus.FORBIDDEN, FORBIDDEN);
	}

	static ApiProblem unavailable(String message) {
		return error(HttpStatus.SERVICE_UNAVAILABLE, message).withHeader(HttpHeaders.RETRY_AFTER, "1");
	}

	@Override
	public boolean serves(ServerWebExchange exchange) {
		return PATHS.contains(exchange.getRequest().getPath().pathWithinApplication().value());
	}

	@Override
	public ApiProblem unauthorized(ServerWebExchange exchange) {
		return error(HttpStatus.UNAUTHORIZED, UNAUTHORIZED);
	}

	@Override
	public ApiProblem forbidden(ServerWebExchange exchange) {
		return error(HttpStatus.FORBIDDEN, FORBIDDEN);
	}

	/** Rate limits, slow bodies, a wrong method …: the same status, message and headers, in this shape. */
	@Override
	public ApiProblem reshape(ServerWebExchange exchange, ApiProblem problem) {
		return problem.withBody(new Body(false, problem.getMessage()));
	}

}
