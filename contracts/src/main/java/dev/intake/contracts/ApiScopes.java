package dev.intake.contracts;

import java.util.List;

/**
 * The scopes an API credential can carry, by the names configured in
 * {@code intake.security.api-keys.<name>.scopes} and sent in a JWT's {@code scope} claim. Kept
 * here, not in the api-service alone, so that what {@code intake keys create} offers is exactly
 * what the api-service grants: a key the CLI makes never stops the service's start-up with an
 * unknown scope, and no scope the service knows is refused by the CLI.
 */
public final class ApiScopes {

	/** Status, results and stored files. */
	public static final String READ = "images:read";

	/** Submits and the single-file uploads. */
	public static final String WRITE = "images:write";

	/** {@link #READ} and {@link #WRITE} together: the Inventorum images API's name. */
	public static final String IMAGES = "images";

	/** Webhook subscriptions ({@code /v1/webhooks}). */
	public static final String WEBHOOKS = "webhooks:manage";

	/** Every scope name the API knows, in the order the documentation lists them. */
	public static final List<String> NAMES = List.of(READ, WRITE, WEBHOOKS, IMAGES);

	private ApiScopes() {
	}

	/** Whether {@code name} is one of {@link #NAMES}, exactly as written. */
	public static boolean isKnown(String name) {
		return NAMES.contains(name);
	}

}
