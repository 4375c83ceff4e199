package dev.intake.api.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.intake.api.error.ApiProblem;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Finds the credentials a request presents: {@code ?token=} on the few paths whose compatible API
 * sends it that way, {@code Authorization: Bearer <token>} (a JWT or an API key) or
 * {@code Authorization: Basic} whose password is an API key (any user name), and
 * {@code X-Api-Key: <key>}. Several different ones must each be valid (see
 * {@link PresentedCredentials}); the first of them counts. Nothing found means the request is
 * anonymous (and refused unless the path is public). A repeated {@code ?token=} is a 400.
 */
final class CredentialConverter implements ServerAuthenticationConverter {

	static final String API_KEY_HEADER = "X-Api-Key";

	private static final String BEARER = "Bearer ";

	private static final String BASIC = "Basic ";

	private static final String TOKEN_PARAMETER = "token";

	/**
	 * The credential of a request that sends its credential header more than once, or one Intake
	 * cannot read: no key, token or JWT is ever this (a NUL is refused in every one), so the
	 * request is refused as invalid.
	 */
	static final String UNUSABLE = "\u0000unusable credential";

	private final List<PathPattern> queryTokenPaths;

	CredentialConverter(List<String> queryTokenPaths) {
		this.queryTokenPaths = queryTokenPaths.stream().map(PathPatternParser.defaultInstance::parse).toList();
	}

	@Override
	public Mono<Authentication> convert(ServerWebExchange exchange) {
		return Mono.fromCallable(() -> credentials(exchange)).mapNotNull(presented -> switch (presented.size()) {
			case 0 -> null;
			case 1 -> new BearerTokenAuthenticationToken(presented.get(0));
			default -> new PresentedCredentials(presented);
		});
	}

	/**
	 * Every credential the request carries, the one that counts first: {@code ?token=} where the
	 * path takes it (that API's own credential), then the Authorization header, then X-Api-Key. A
	 * blank one is not sent (what a form or client sends for a value left empty).
	 */
	private List<String> credentials(ServerWebExchange exchange) {
		HttpHeaders headers = exchange.getRequest().getHeaders();
		if (repeated(headers, HttpHeaders.AUTHORIZATION) || repeated(headers, API_KEY_HEADER)) {
			// which one counts would be a guess, and a proxy in front may have judged the other
			return List.of(UNUSABLE);
		}
		List<String> credentials = new ArrayList<>();
		boolean queryAllowed = queryTokenPaths.stream()
			.anyMatch(pattern -> pattern.matches(exchange.getRequest().getPath().pathWithinApplication()));
		if (queryAllowed) {
			List<String> tokens = exchange.getRequest().getQueryParams().getOrDefault(TOKEN_PARAMETER, List.of());
			if (tokens.size() > 1) {
				throw ApiProblem.badRequest("The " + TOKEN_PARAMETER + " must be given at most once.");
			}
			add(credentials, tokens.isEmpty() ? null : tokens.get(0));
		}
		String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization != null) {
			if (authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
				add(credentials, basicPassword(authorization.substring(BASIC.length()).strip()));
			}
			else if (authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
				add(credentials, authorization.substring(BEARER.length()));
			}
			else if (!authorization.isBlank()) {
				// a scheme Intake does not take is no credential it could verify
				add(credentials, UNUSABLE);
			}
		}
		add(credentials, headers.getFirst(API_KEY_HEADER));
		return credentials;
	}

	/** Adds a credential that is not blank and not already there. */
	private static void add(List<String> credentials, String credential) {
		String given = nonBlank(credential);
		if (given != null && !credentials.contains(given)) {
			credentials.add(given);
		}
	}

	private static boolean repeated(HttpHeaders headers, String name) {
		List<String> values = headers.get(name);
		return values != null && values.size() > 1;
	}

	/**
	 * The password of {@code user:password} in Base64 (null when it is empty), or {@link #UNUSABLE}
	 * when the value is not that.
	 */
	private static String basicPassword(String encoded) {
		try {
			String pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
			int colon = pair.indexOf(':');
			return (colon >= 0) ? nonBlank(pair.substring(colon + 1)) : UNUSABLE;
		}
		catch (IllegalArgumentException ex) {
			return UNUSABLE;
		}
	}

	private static String nonBlank(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}
