package dev.intake.status.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import dev.intake.contracts.InternalApi;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Lets a request into {@code /internal/**} only with the shared service credential in
 * {@code X-Intake-Internal-Token} (compared in constant time); anything else gets 401 in the error
 * shape {@code {"code":1001,…}}. Other paths (health, metrics) pass.
 */
final class InternalTokenFilter implements WebFilter, Ordered {

	private static final Log logger = LogFactory.getLog(InternalTokenFilter.class);

	private static final byte[] REFUSED = "{\"code\":1001,\"message\":\"Missing or invalid internal service credential.\"}"
		.getBytes(StandardCharsets.UTF_8);

	private final byte[] expected;

	InternalTokenFilter(String token) {
		this.expected = sha256(token);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (!InternalApi.covers(path)) {
			return chain.filter(exchange);
		}
		String presented = exchange.getRequest().getHeaders().getFirst(InternalApi.TOKEN_HEADER);
		if (presented != null && MessageDigest.isEqual(sha256(presented), expected)) {
			return chain.filter(exchange);
		}
		logger.warn("Refused a call to the internal API " + (presented == null ? "without" : "with a wrong")
				+ " service credential from " + exchange.getRequest().getRemoteAddress());
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatus.UNAUTHORIZED);
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		response.getHeaders().setContentLength(REFUSED.length);
		response.getHeaders().set(HttpHeaders.CACHE_CONTROL, "no-store");
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(REFUSED)));
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
