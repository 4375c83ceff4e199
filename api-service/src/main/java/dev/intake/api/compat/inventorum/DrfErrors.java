package dev.intake.api.compat.inventorum;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.intake.api.assets.FileRefused;
import dev.intake.api.error.ApiProblem;
import dev.intake.api.error.CompatibleRefusals;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

/**
 * The Inventorum images API's errors, in the shapes of the Django REST framework it runs on: field
 * errors as {@code {"error":{"fields":{…},"description":"Serialization error","key":"common.serializer_error"}}}
 * with the framework's own messages; everything else as {@code {"detail":"…"}}.
 */
final class DrfErrors implements CompatibleRefusals {

	static final String REQUIRED = "This field is required.";

	static final String NOT_A_FILE = "The submitted data was not a file. Check the encoding type on the form.";

	static final String GIVEN_TWICE = "This field must be given only once.";

	static final String NOT_AN_IMAGE = "Upload a valid image. The file you uploaded was either not an image or a corrupted image.";

	/** The serializer's error body. */
	record SerializerError(Error error) {

		@JsonPropertyOrder({ "fields", "description", "key" })
		record Error(Map<String, List<String>> fields, String description, String key) {
		}

	}

	/** Any other error body. */
	record Detail(String detail) {
	}

	static ApiProblem fields(HttpStatus status, Map<String, List<String>> fields) {
		return ApiProblem.withBody(status, "Serialization error: " + fields, new SerializerError(
				new SerializerError.Error(fields, "Serialization error", "common.serializer_error")));
	}

	static ApiProblem detail(HttpStatus status, String detail) {
		return ApiProblem.withBody(status, detail, new Detail(detail));
	}

	static ApiProblem of(FileRefused refused, String fileField) {
		HttpStatus status = HttpStatus.valueOf(refused.reason().status());
		return switch (refused.reason()) {
			case MISSING_FILE -> fields(status, Map.of(fileField, List.of(REQUIRED)));
			case NOT_A_FILE -> fields(status, Map.of(fileField, List.of(NOT_A_FILE)));
			case UNSUPPORTED_TYPE, UNREADABLE -> fields(status, Map.of(fileField, List.of(NOT_AN_IMAGE)));
			case SEVERAL_FILES, TOO_LARGE -> fields(status, Map.of(fileField, List.of(refused.getMessage())));
			case REPEATED_FIELD -> fields(status, Map.of(refused.field(), List.of(GIVEN_TWICE)));
			case UNKNOWN_ASSET -> detail(HttpStatus.NOT_FOUND, "Not found.");
			case MALFORMED -> detail(status, "Multipart form parse error - " + refused.getMessage());
			case RATE_LIMITED -> detail(status,
					"Request was throttled. Expected available in " + refused.retryAfterSeconds() + " seconds.")
				.withHeader(HttpHeaders.RETRY_AFTER, Long.toString(refused.retryAfterSeconds()));
			case UNAVAILABLE -> detail(status, refused.getMessage())
				.withHeader(HttpHeaders.RETRY_AFTER, Long.toString(refused.retryAfterSeconds()));
		};
	}

	@Override
	public boolean serves(ServerWebExchange exchange) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		return ImagesController.PATH.equals(path) || ImagesController.PATH_SLASH.equals(path);
	}

	@Override
	public ApiProblem unauthorized(ServerWebExchange exchange) {
		boolean presented = exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
		return detail(HttpStatus.UNAUTHORIZED,
				presented ? "Invalid token." : "Authentication credentials were not provided.")
			.withHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"api\"");
	}

	@Override
	public ApiProblem forbidden(ServerWebExchange exchange) {
		return detail(HttpStatus.FORBIDDEN, "You do not have permission to perform this action.");
	}

	/**
	 * Rate limits, slow bodies, a wrong method …: the same status and headers as {@code {"detail":"…"}},
	 * with the framework's own message where it has one.
	 */
	@Override
	public ApiProblem reshape(ServerWebExchange exchange, ApiProblem problem) {
		String detail = switch (problem.status()) {
			case METHOD_NOT_ALLOWED -> "Method \"" + exchange.getRequest().getMethod().name() + "\" not allowed.";
			case NOT_FOUND -> "Not found.";
			case TOO_MANY_REQUESTS -> Optional.ofNullable(problem.headers().getFirst(HttpHeaders.RETRY_AFTER))
				.map(seconds -> "Request was throttled. Expected available in " + seconds + " seconds.")
				.orElse(problem.getMessage());
			default -> problem.getMessage();
		};
		return problem.withBody(new Detail(detail));
	}

}
