package dev.intake.api.status;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The shared service credential sent to the status-service's internal API
 * ({@code intake.internal.*}); the same value must be set in the status-service.
 *
 * @param token sent as {@code X-Intake-Internal-Token} on every relayed look-up; blank sends none
 */
@ConfigurationProperties("intake.internal")
record InternalApiProperties(String token) {
}
