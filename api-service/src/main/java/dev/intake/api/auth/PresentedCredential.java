package dev.intake.api.auth;

import reactor.core.publisher.Mono;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * The tenant of a request whose compatible API sends its credential in the request itself (the
 * nursery image API's {@code JWT_code} form field, JSON field or query parameter): that credential,
 * a JWT or an API key, is verified exactly as the security layer verifies a header; without one,
 * the credential of the usual header (already verified by the security layer) counts. The routes
 * that use this are open at the security layer, so the scope is checked here.
 */
public final class PresentedCredential {

	/** What the request needs to be allowed. */
	public enum Scope {

		/** {@code images:read}. */
		READ(Scopes.READ_AUTHORITY),
		/** {@code images:write}. */
		WRITE(Scopes.WRITE_AUTHORITY);

		private final String authority;

		Scope(String authority) {
			this.authority = authority;
		}

	}

	/** Why no tenant: no valid credential (401), or one without the scope (403). Carries no stack trace. */
	public static final class Refused extends RuntimeException {

		private final boolean unauthenticated;

		Refused(boolean unauthenticated) {
			super(unauthenticated ? "no valid credential" : "the credential lacks the scope", null, false, false);
			this.unauthenticated = unauthenticated;
		}

		/** True for a missing or invalid credential, false for a valid one without the scope. */
		public boolean unauthenticated() {
			return unauthenticated;
		}

	}

	private final CredentialAuthenticationManager credentials;

	PresentedCredential(CredentialAuthenticationManager credentials) {
		this.credentials = credentials;
	}

	/**
	 * The tenant of {@code presented} (blank or null: of the header credential), when it grants
	 * {@code scope}; otherwise an error {@link Refused}.
	 */
	public Mono<String> tenant(String presented, Scope scope) {
		Mono<TenantAuthentication> verified = (presented != null && !presented.isBlank())
				? credentials.authenticate(new BearerTokenAuthenticationToken(presented.strip()))
					.ofType(TenantAuthentication.class)
					.onErrorMap(AuthenticationException.class, ex -> new Refused(true))
				: ReactiveSecurityContextHolder.getContext()
					.mapNotNull(SecurityContext::getAuthentication)
					.ofType(TenantAuthentication.class);
		return verified.switchIfEmpty(Mono.error(() -> new Refused(true))).map(authentication -> {
			boolean granted = authentication.getAuthorities()
				.stream()
				.map(GrantedAuthority::getAuthority)
				.anyMatch(scope.authority::equals);
			if (!granted) {
				throw new Refused(false);
			}
			return authentication.tenant();
		});
	}

}
