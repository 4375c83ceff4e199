package dev.intake.api.error;

import java.util.UUID;

import dev.intake.contracts.ApiError;
import dev.intake.contracts.ApiResponse;
import dev.intake.contracts.LogSafe;
import io.netty.handler.timeout.ReadTimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * The one place errors become responses: every failure leaves as {@code {"code", "message"}}
 * without internals. Client errors keep their HTTP status; anything unexpected is logged with a
 * reference id and answered 500 with code 1500; client errors are logged at debug level, in one line.
 * Replaces Boot's default error handler.
 */
@Order(-2)
class ApiErrorHandler implements ErrorWebExceptionHandler {

	private static final Log logger = LogFactory.getLog(ApiErrorHandler.class);

	private final JsonMapper json;

	private final ObjectProvider<CompatibleRefusals> compatibleRefusals;

	ApiErrorHandler(JsonMapper json, ObjectProvider<CompatibleRefusals> compatibleRefusals) {
		this.json = json;
		this.compatibleRefusals = compatibleRefusals;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		ServerHttpResponse response = exchange.getResponse();
		if (DisconnectedClientHelper.isClientDisconnectedException(ex)) {
			logger.debug("Client went away: " + ex);
			return Mono.empty();
		}
		if (headersSentByServer(response)) {
			// Reactor Netty already answered a request it could not parse (a bad chunk size, ...)
			logger.debug("Request refused by the HTTP server itself: " + oneLine(ex));
			return Mono.empty();
		}
		if (response.isCommitted()) {
			if (ClientFaults.isClientFault(ex)) {
				logger.debug("Client error after the answer began: " + oneLine(ex));
				return Mono.empty();
			}
			return Mono.error(ex);
		}
		ApiProblem problem = inShapeOf(exchange, problemFor(exchange, ex));
		response.setStatusCode(problem.status());
		HttpHeaders headers = response.getHeaders();
		headers.addAll(problem.headers());
		headers.setContentType(MediaType.APPLICATION_JSON);
		byte[] body = json.writeValueAsBytes(
				(problem.body() != null) ? problem.body() : ApiResponse.error(problem.code(), problem.getMessage()));
		headers.setContentLength(body.length);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

	/** The exception's type and message on one line, safe to log. */
	static String oneLine(Throwable ex) {
		return ex.getClass().getName() + ": " + LogSafe.text(ex.getMessage());
	}

	private static boolean headersSentByServer(ServerHttpResponse response) {
		Object nativeResponse = ServerHttpResponseDecorator.getNativeResponse(response);
		return nativeResponse instanceof HttpServerResponse netty && netty.hasSentHeaders() && !response.isCommitted();
	}

	/** A problem in Intake's shape, in that of the compatible API serving the route if there is one. */
	private ApiProblem inShapeOf(ServerWebExchange exchange, ApiProblem problem) {
		if (problem.body() != null) {
			return problem;
		}
		return compatibleRefusals.orderedStream()
			.filter(shape -> shape.serves(exchange))
			.findFirst()
			.map(shape -> shape.reshape(exchange, problem))
			.orElse(problem);
	}

	private ApiProblem problemFor(ServerWebExchange exchange, Throwable ex) {
		if (ex instanceof ApiProblem problem) {
			return problem;
		}
		if (ex instanceof ResponseStatusException status && status.getStatusCode().is4xxClientError()) {
			ApiProblem problem = clientProblem(status.getStatusCode());
			for (var header : status.getHeaders().headerSet()) {
				for (String value : header.getValue()) {
					problem = problem.withHeader(header.getKey(), value);
				}
			}
			return problem;
		}
		if (ex instanceof ReadTimeoutException) {
			// intake.limits.read-timeout: the client stopped sending its body; the connection is closed
			return new ApiProblem(HttpStatus.REQUEST_TIMEOUT, ApiError.REQUEST_TIMEOUT,
					"The request body stopped arriving.");
		}
		if (ex instanceof DataBufferLimitException) {
			return clientProblem(HttpStatus.CONTENT_TOO_LARGE);
		}
		if (ex instanceof DecodingException) {
			return clientProblem(HttpStatus.BAD_REQUEST);
		}
		if (ex instanceof ServerExchangeRejectedException) {
			// the request firewall, when it checks headers lazily
			return ApiProblem.notAllowedByFirewall();
		}
		String id = UUID.randomUUID().toString().substring(0, 8);
		logger.error("Unexpected failure [" + id + "] on " + exchange.getRequest().getMethod() + " "
				+ LogSafe.text(exchange.getRequest().getPath()), ex);
		return new ApiProblem(HttpStatus.INTERNAL_SERVER_ERROR, ApiError.UNAVAILABLE,
				"An unexpected error occurred; reference " + id + ".");
	}

	private static ApiProblem clientProblem(HttpStatusCode status) {
		return switch (status.value()) {
			case 400 -> ApiProblem.badRequest("The request is malformed.");
			case 404 -> ApiProblem.notFound();
			case 405 -> new ApiProblem(HttpStatus.METHOD_NOT_ALLOWED, 405, "Method not allowed.");
			case 406 -> new ApiProblem(HttpStatus.NOT_ACCEPTABLE, 406,
					"None of the accepted media types can be produced.");
			case 413 -> new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, ApiError.PAYLOAD_TOO_LARGE,
					"The request is too large.");
			case 415 -> new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 415, "Unsupported media type.");
			default -> {
				HttpStatus known = HttpStatus.resolve(status.value());
				HttpStatus resolved = (known != null) ? known : HttpStatus.BAD_REQUEST;
				yield new ApiProblem(resolved, resolved.value(), resolved.getReasonPhrase() + ".");
			}
		};
	}

}
