package dev.intake.api.auth;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The API's scopes and the wire names that map onto them: {@code images:read} reads status and
 * files, {@code images:write} submits, {@code webhooks:manage} manages webhook subscriptions; the
 * Inventorum images API's {@code images} means read and write. Unknown names grant
 * nothing.
 */
final class Scopes {

	static final String READ = "images:read";

	static final String WRITE = "images:write";

	static final String IMAGES = "images";

	static final String WEBHOOKS = "webhooks:manage";

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
		return READ.equals(name) || WRITE.equals(name) || IMAGES.equals(name) || WEBHOOKS.equals(name);
	}

}
