package dev.intake.api.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * API credentials ({@code intake.auth.*}).
 *
 * @param tokens tenant id to API token, e.g. {@code intake.auth.tokens.local=…}; blank tokens
 * are ignored
 */
@ConfigurationProperties("intake.auth")
record AuthProperties(Map<String, String> tokens) {

	AuthProperties {
		tokens = (tokens != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(tokens)) : Map.of();
	}

}
