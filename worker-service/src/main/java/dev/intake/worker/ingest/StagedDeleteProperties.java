package dev.intake.worker.ingest;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Deletes of finished items' staged uploads that storage did not answer
 * ({@code intake.worker.staged-deletes.*}).
 *
 * @param retryInterval how often waiting deletes are tried again
 * @param maxPending most deletes kept waiting in memory; more are left to the staging sweeper
 */
@Validated
@ConfigurationProperties("intake.worker.staged-deletes")
record StagedDeleteProperties(@DefaultValue("5s") @NotNull Duration retryInterval,
		@DefaultValue("100000") @Min(1) int maxPending) {
}
