package dev.intake.worker.sweep;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The staging sweeper ({@code intake.worker.sweeper.*}).
 *
 * @param enabled whether this instance sweeps at all
 * @param interval time between two sweeps of one instance (the first comes after a random part
 * of it, so instances started together do not sweep together)
 * @param stagedMaxAge staged uploads older than this are deleted, and uploads older than this unless
 * the content index keeps them (an item was stored from them); it bounds how long the bytes of
 * items that failed transiently stay retryable, and must be longer than the longest job backlog
 * (a job whose staged object was swept fails {@code SOURCE_MISSING})
 * @param multipartMaxAge incomplete multipart uploads initiated longer ago are aborted; must be
 * longer than the slowest upload
 * @param maxDeletesPerRun most staged objects deleted, most uploads deleted, and most multipart uploads
 * aborted, in one run
 */
@Validated
@ConfigurationProperties("intake.worker.sweeper")
record SweeperProperties(@DefaultValue("true") boolean enabled, @DefaultValue("1h") @NotNull Duration interval,
		@DefaultValue("7d") @NotNull Duration stagedMaxAge, @DefaultValue("1d") @NotNull Duration multipartMaxAge,
		@DefaultValue("10000") @Min(1) int maxDeletesPerRun) {

	SweeperProperties {
		if (interval != null && (interval.isNegative() || interval.isZero())) {
			throw new IllegalArgumentException("intake.worker.sweeper.interval must be positive");
		}
	}

}
