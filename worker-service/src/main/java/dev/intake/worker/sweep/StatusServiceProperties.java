package dev.intake.worker.sweep;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the sweeper asks which uploads the content index keeps ({@code intake.status-service.*}).
 *
 * @param baseUrl the status-service (any instance: every instance answers from a global store)
 * @param timeout longest wait for its answer; a sweep without an answer deletes no upload
 */
@Validated
@ConfigurationProperties("intake.status-service")
record StatusServiceProperties(@DefaultValue("http://127.0.0.1:8081") @NotNull URI baseUrl,
		@DefaultValue("10s") @NotNull Duration timeout) {
}
