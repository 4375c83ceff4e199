package dev.intake.worker.sweep;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The shared service credential sent to the status-service's internal API
 * ({@code intake.internal.*}); the same value must be set in the status-service.
 *
 * @param token sent as {@code X-Intake-Internal-Token} when the sweeper asks which uploads are
 * kept; blank sends none
 */
@ConfigurationProperties("intake.internal")
record InternalApiProperties(String token) {
}
