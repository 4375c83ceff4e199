package dev.intake.api.auth;

import org.springframework.web.server.ServerWebExchange;

/**
 * The tenant a request acts for. It comes only from the verified credential (set by
 * {@link BearerTokenFilter}), never from anything else the client sends.
 */
public final class Tenant {

	static final String ATTRIBUTE = Tenant.class.getName() + ".id";

	private Tenant() {
	}

	/** The authenticated tenant of this exchange; fails when the path was not authenticated. */
	public static String of(ServerWebExchange exchange) {
		String tenant = exchange.getAttribute(ATTRIBUTE);
		if (tenant == null) {
			throw new IllegalStateException("No authenticated tenant on " + exchange.getRequest().getPath());
		}
		return tenant;
	}

	static void set(ServerWebExchange exchange, String tenant) {
		exchange.getAttributes().put(ATTRIBUTE, tenant);
	}

}
