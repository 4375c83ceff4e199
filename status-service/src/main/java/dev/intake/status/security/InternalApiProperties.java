package dev.intake.status.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The shared service credential of the internal API ({@code intake.internal.*}), the same value in
 * the api-service and every status-service instance.
 *
 * @param token the secret callers send in {@code X-Intake-Internal-Token}; blank leaves
 * {@code /internal/**} open (a warning at start-up), for a network where only the services reach
 * this port
 */
@ConfigurationProperties("intake.internal")
record InternalApiProperties(String token) {

	boolean enforced() {
		return token != null && !token.isBlank();
	}

}
