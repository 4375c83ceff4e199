package dev.intake.api.auth;

import java.util.List;
import java.util.Optional;

import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.ApiError;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Requires {@code Authorization: Bearer <token>} on every path except health probes, public
 * image URLs and the API description, and records the token's tenant on the exchange (see {@link Tenant}). An isolated
 * seam: a later security setup replaces this filter without touching the features.
 */
class BearerTokenFilter implements WebFilter, Ordered {

	static final String UNAUTHORIZED_MESSAGE = "Missing or invalid API token.";

	private static final List<PathPattern> PUBLIC_PATHS = List.of(
			PathPatternParser.defaultInstance.parse("/actuator/health/**"),
			PathPatternParser.defaultInstance.parse("/i/**"),
			PathPatternParser.defaultInstance.parse("/v1/openapi.yaml"));

	private static final String BEARER = "Bearer ";

	private final ApiTokens tokens;

	BearerTokenFilter(ApiTokens tokens) {
		this.tokens = tokens;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
		if (PUBLIC_PATHS.stream().anyMatch(pattern -> pattern.matches(path))) {
			return chain.filter(exchange);
		}
		Optional<String> tenant = bearerToken(exchange).flatMap(tokens::tenantFor);
		if (tenant.isEmpty()) {
			return Mono.error(new ApiProblem(HttpStatus.UNAUTHORIZED, ApiError.UNAUTHORIZED, UNAUTHORIZED_MESSAGE)
				.withHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
		}
		Tenant.set(exchange, tenant.get());
		return chain.filter(exchange);
	}

	private static Optional<String> bearerToken(ServerWebExchange exchange) {
		String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return Optional.empty();
		}
		String token = header.substring(BEARER.length()).trim();
		return token.isEmpty() ? Optional.empty() : Optional.of(token);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

}
