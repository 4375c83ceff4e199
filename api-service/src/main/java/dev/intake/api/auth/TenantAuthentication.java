package dev.intake.api.auth;

import java.util.Collection;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A verified credential: the tenant it acts for, its scopes as authorities and a name for logs
 * (the API key's name or the token's subject, never the secret itself).
 */
final class TenantAuthentication extends AbstractAuthenticationToken {

	private final String tenant;

	private final String credentialName;

	TenantAuthentication(String tenant, String credentialName, Collection<? extends GrantedAuthority> scopes) {
		super(scopes);
		this.tenant = tenant;
		this.credentialName = credentialName;
		setAuthenticated(true);
	}

	String tenant() {
		return tenant;
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public Object getPrincipal() {
		return tenant;
	}

	@Override
	public String getName() {
		return credentialName;
	}

}
