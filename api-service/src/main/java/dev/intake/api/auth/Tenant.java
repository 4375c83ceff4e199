package dev.intake.api.auth;

import java.util.Optional;

import org.springframework.web.server.ServerWebExchange;

/**
 * The tenant a request acts for. It comes only from the verified credential (recorded by the
 * security filter chain, see {@link SecurityConfiguration}), never from a header, query or body
 * field the client sends.
 */
public final class Tenant {

	static final String ATTRIBUTE = Tenant.class.getName() + ".id";

	private Tenant() {
	}

	/** The authenticated tenant of this exchange; fails when the path was not authenticated. */
	public static String of(ServerWebExchange exchange) {
		return find(exchange).orElseThrow(
				() -> new IllegalStateException("No authenticated tenant on " + exchange.getRequest().getPath()));
	}

	/** The authenticated tenant of this exchange, empty on public paths. */
	public static Optional<String> find(ServerWebExchange exchange) {
		return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
	}

	static void set(ServerWebExchange exchange, String tenant) {
		exchange.getAttributes().put(ATTRIBUTE, tenant);
	}

}
