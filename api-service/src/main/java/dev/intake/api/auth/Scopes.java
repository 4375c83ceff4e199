package dev.intake.api.auth;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.intake.contracts.ApiScopes;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The API's scopes and the wire names that map onto them: {@code images:read} reads status and
 * files, {@code images:write} submits, {@code webhooks:manage} manages webhook subscriptions; the
 * Inventorum images API's {@code images} means read and write. Unknown names grant
 * nothing. The names come from {@link ApiScopes}, which the CLI's {@code intake keys create} offers too.
 */
final class Scopes {

	static final String READ = ApiScopes.READ;

	static final String WRITE = ApiScopes.WRITE;

	static final String IMAGES = ApiScopes.IMAGES;

	static final String WEBHOOKS = ApiScopes.WEBHOOKS;

	static final String WEBHOOKS_AUTHORITY = "SCOPE_" + WEBHOOKS;

	static final String READ_AUTHORITY = "SCOPE_" + READ;

	static final String WRITE_AUTHORITY = "SCOPE_" + WRITE;

	private Scopes() {
	}

	/** The authorities the given scope names grant. */
	static Set<GrantedAuthority> authorities(Collection<String> names) {
		Set<GrantedAuthority> granted = new LinkedHashSet<>();
		for (String name : names) {
			switch (name.trim()) {
				case READ -> granted.add(new SimpleGrantedAuthority(READ_AUTHORITY));
				case WRITE -> granted.add(new SimpleGrantedAuthority(WRITE_AUTHORITY));
				case WEBHOOKS -> granted.add(new SimpleGrantedAuthority(WEBHOOKS_AUTHORITY));
				case IMAGES -> {
					granted.add(new SimpleGrantedAuthority(READ_AUTHORITY));
					granted.add(new SimpleGrantedAuthority(WRITE_AUTHORITY));
				}
				default -> {
					// not ours: grants nothing
				}
			}
		}
		return granted;
	}

	/** Whether a configured scope name is one this API knows. */
	static boolean isKnown(String name) {
		return ApiScopes.isKnown(name);
	}

}
