package dev.intake.api.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Finds the credential a request presents: {@code Authorization: Bearer <token>} (a JWT or an API
 * key), or {@code Authorization: Basic} whose password is an API key (any user name), else {@code X-Api-Key: <key>}, else {@code ?token=} on the few paths whose compatible API sends
 * it that way. Nothing found means the request is anonymous (and refused unless the path is public).
 */
final class CredentialConverter implements ServerAuthenticationConverter {

	static final String API_KEY_HEADER = "X-Api-Key";

	private static final String BEARER = "Bearer ";

	private static final String BASIC = "Basic ";

	/**
	 * The credential of a request that sends its credential header more than once: no key, token
	 * or JWT is ever this (a NUL is refused in every one), so the request is refused as invalid.
	 */
	static final String UNUSABLE = "\u0000repeated credential header";

	private final List<PathPattern> queryTokenPaths;

	CredentialConverter(List<String> queryTokenPaths) {
		this.queryTokenPaths = queryTokenPaths.stream().map(PathPatternParser.defaultInstance::parse).toList();
	}

	@Override
	public Mono<Authentication> convert(ServerWebExchange exchange) {
		return Mono.justOrEmpty(credential(exchange)).map(BearerTokenAuthenticationToken::new);
	}

	private String credential(ServerWebExchange exchange) {
		HttpHeaders headers = exchange.getRequest().getHeaders();
		if (repeated(headers, HttpHeaders.AUTHORIZATION) || repeated(headers, API_KEY_HEADER)) {
			// which one counts would be a guess, and a proxy in front may have judged the other
			return UNUSABLE;
		}
		String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization != null) {
			if (authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
				return basicPassword(authorization.substring(BASIC.length()).strip());
			}
			boolean bearer = authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
			return bearer ? nonBlank(authorization.substring(BEARER.length())) : null;
		}
		String apiKey = headers.getFirst(API_KEY_HEADER);
		if (apiKey != null) {
			return nonBlank(apiKey);
		}
		boolean queryAllowed = queryTokenPaths.stream()
			.anyMatch(pattern -> pattern.matches(exchange.getRequest().getPath().pathWithinApplication()));
		return queryAllowed ? nonBlank(exchange.getRequest().getQueryParams().getFirst("token")) : null;
	}

	private static boolean repeated(HttpHeaders headers, String name) {
		List<String> values = headers.get(name);
		return values != null && values.size() > 1;
	}

	/** The password of {@code user:password} in Base64, or null when the value is not that. */
	private static String basicPassword(String encoded) {
		try {
			String pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
			int colon = pair.indexOf(':');
			return (colon >= 0) ? nonBlank(pair.substring(colon + 1)) : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static String nonBlank(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}
