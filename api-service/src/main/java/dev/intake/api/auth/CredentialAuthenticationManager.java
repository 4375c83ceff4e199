package dev.intake.api.auth;

import java.util.Optional;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Verifies a presented credential: first as an API key (hashed, constant-time look-up), then, when
 * JWTs are configured and it has the shape of one, as a JWT. Every failure is the same
 * {@link BadCredentialsException}, so the answer does not tell which check failed.
 */
final class CredentialAuthenticationManager implements ReactiveAuthenticationManager {

	private final ApiKeys apiKeys;

	private final JwtDecoding jwt;

	CredentialAuthenticationManager(ApiKeys apiKeys, JwtDecoding jwt) {
		this.apiKeys = apiKeys;
		this.jwt = jwt;
	}

	@Override
	public Mono<Authentication> authenticate(Authentication authentication) {
		if (authentication instanceof PresentedCredentials several) {
			// each must be valid; the first counts
			return Flux.fromIterable(several.credentials()).concatMap(this::verify).collectList().map(all -> all.get(0));
		}
		if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
			return Mono.empty();
		}
		return verify(bearer.getToken());
	}

	private Mono<Authentication> verify(String token) {
		Optional<TenantAuthentication> key = apiKeys.authenticate(token);
		if (key.isPresent()) {
			return Mono.just(key.get());
		}
		if (jwt == null || token.chars().filter(c -> c == '.').count() != 2) {
			return Mono.error(invalid());
		}
		return jwt.decode(token)
			.onErrorMap(JwtException.class, ex -> invalid())
			.flatMap(jwt::authentication)
			.cast(Authentication.class);
	}

	private static BadCredentialsException invalid() {
		return new BadCredentialsException("Invalid credential");
	}

}
