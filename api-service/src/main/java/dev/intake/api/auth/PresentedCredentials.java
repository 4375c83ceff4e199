package dev.intake.api.auth;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A request carrying several different credentials (a {@code ?token=} and a header, or both
 * headers): every one must be valid, so that a credential that is not is refused whichever other
 * one comes with it; the first, the one its API reads first, decides the tenant.
 */
final class PresentedCredentials extends AbstractAuthenticationToken {

	private final List<String> credentials;

	PresentedCredentials(List<String> credentials) {
		super(List.of());
		this.credentials = List.copyOf(credentials);
	}

	List<String> credentials() {
		return credentials;
	}

	@Override
	public Object getCredentials() {
		return credentials;
	}

	@Override
	public Object getPrincipal() {
		return credentials.get(0);
	}

}
