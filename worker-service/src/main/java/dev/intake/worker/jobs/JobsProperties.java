package dev.intake.worker.jobs;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a worker consumes {@code intake.jobs} ({@code intake.worker.jobs.*}).
 *
 * @param concurrency consumers (threads) per worker instance, each working one job at a time;
 * a job waits on S3 and the broker most of its time, so several threads overlap those waits
 * (BENCHMARKS.md); more than the topic's partitions stay idle
 * @param maxPollRecords jobs fetched per poll; small, so a slow batch of images cannot overrun
 * {@code maxPollInterval}
 * @param maxPollInterval longest time between polls before the broker moves the partitions to
 * another worker; must cover {@code maxPollRecords} worst-case jobs
 * @param resultTimeout how long to wait for the broker to acknowledge an item's result
 * @param retry back-off for transient failures (S3 or broker unavailable)
 * @param keepFailedStaged whether the staged upload of an item that failed
 * {@code RETRIES_EXHAUSTED} or {@code PROCESSING_FAILED} is kept so the batch's retry route can run
 * it again (the sweeper removes it at its age); false deletes it at once, and such a retry then
 * fails {@code SOURCE_MISSING}
 */
@Validated
@ConfigurationProperties("intake.worker.jobs")
record JobsProperties(@DefaultValue("8") @Min(1) @Max(64) int concurrency,
		@DefaultValue("4") @Min(1) @Max(500) int maxPollRecords, @DefaultValue("10m") @NotNull Duration maxPollInterval,
		@DefaultValue("30s") @NotNull Duration resultTimeout, @DefaultValue @Valid Retry retry,
		@DefaultValue("true") boolean keepFailedStaged) {

	/**
	 * @param maxRetries retries of a job after its first transient failure; then the item fails
	 * with {@code RETRIES_EXHAUSTED}. With the default intervals the waits are 0.5, 1, 2, 4, 8, 16,
	 * 30 and 30 s, about 90 s, so a storage or broker outage of a minute fails nothing
	 * @param initialInterval wait before the first retry
	 * @param multiplier growth of the wait from one retry to the next
	 * @param maxInterval longest wait between two retries
	 * @param jitter random spread added to or taken from each wait (grown by the multiplier like
	 * the wait), so workers that failed together do not retry together
	 */
	record Retry(@DefaultValue("8") @Min(0) int maxRetries, @DefaultValue("500ms") @NotNull Duration initialInterval,
			@DefaultValue("2") @DecimalMin("1.0") double multiplier,
			@DefaultValue("30s") @NotNull Duration maxInterval, @DefaultValue("250ms") @NotNull Duration jitter) {
	}

}
