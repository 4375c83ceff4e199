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
 * How a worker consumes {@code intake.jobs} and {@code intake.interactive-jobs} ({@code intake.worker.jobs.*}) as a member of the
 * share group {@value JobsConfiguration#GROUP}: the broker hands each job to one consumer at a
 * time under an acquisition lock and counts its deliveries durably.
 *
 * @param concurrency share consumers (threads) per worker instance, each working one job at a
 * time; a job waits on S3 and the broker most of its time, so several threads overlap those waits
 * (BENCHMARKS.md). Any number of workers and threads share the topic's partitions
 * @param interactiveConcurrency share consumers (threads) per worker instance on
 * {@code intake.interactive-jobs}, the jobs of single-file uploads whose clients wait for the
 * answer: threads of their own, so such an upload is not queued behind the jobs of large batches
 * (it still shares the decode threads and the cores with them)
 * @param maxPollRecords jobs one consumer acquires per poll (a strict limit); every job a worker
 * holds when its process dies is delivered again and counts a delivery, and a job held behind a
 * slow one waits for it, so keep it small
 * @param lockDuration how long a delivered job stays locked to its consumer (the share group's
 * {@code share.record.lock.duration.ms}, set by the worker at start-up); must outlast the slowest
 * legitimate job, its transient back-off included, and must not exceed the broker's
 * {@code group.share.max.record.lock.duration.ms}. A job still running when its lock expires is
 * delivered to another consumer as well (its result is idempotent)
 * @param resultTimeout how long to wait for the broker to acknowledge an item's result
 * @param retry back-off for transient failures (S3 or broker unavailable)
 * @param keepFailedStaged whether the staged upload of an item that failed
 * {@code RETRIES_EXHAUSTED} or {@code PROCESSING_FAILED} is kept so the batch's retry route can run
 * it again (the sweeper removes it at its age); false deletes it at once, and such a retry then
 * fails {@code SOURCE_MISSING}
 * @param shutdownGrace how long a stopping worker lets the jobs in progress finish; then they are
 * interrupted and released to another worker, so no job can hold a shutdown up
 */
@Validated
@ConfigurationProperties("intake.worker.jobs")
record JobsProperties(@DefaultValue("8") @Min(1) @Max(64) int concurrency,
		@DefaultValue("2") @Min(1) @Max(64) int interactiveConcurrency,
		@DefaultValue("1") @Min(1) @Max(500) int maxPollRecords, @DefaultValue("5m") @NotNull Duration lockDuration,
		@DefaultValue("30s") @NotNull Duration resultTimeout, @DefaultValue @Valid Retry retry,
		@DefaultValue("true") boolean keepFailedStaged, @DefaultValue("10s") @NotNull Duration shutdownGrace) {

	/**
	 * @param maxRetries waits of the retry window of a job with transient failures; a failed
	 * delivery waits, then releases the job to the group, at most this many times and never on the
	 * delivery before the broker's last ({@code group.share.delivery.count.limit} - 2 releases);
	 * when the broker allows fewer releases than waits, the waits are shared out among them, so the
	 * window stays the same. The next transient failure fails the item with
	 * {@code RETRIES_EXHAUSTED}. With the default intervals the waits are 0.5, 1, 2, 4, 8, 16, 30 and
	 * 30 s, about 90 s, so a storage or broker outage of a minute fails nothing
	 * @param initialInterval wait before the first redelivery
	 * @param multiplier growth of the wait from one redelivery to the next
	 * @param maxInterval longest wait before a redelivery
	 * @param jitter random spread added to or taken from each wait (grown by the multiplier like
	 * the wait), so workers that failed together do not retry together
	 */
	record Retry(@DefaultValue("8") @Min(0) int maxRetries, @DefaultValue("500ms") @NotNull Duration initialInterval,
			@DefaultValue("2") @DecimalMin("1.0") double multiplier,
			@DefaultValue("30s") @NotNull Duration maxInterval, @DefaultValue("250ms") @NotNull Duration jitter) {
	}

}
