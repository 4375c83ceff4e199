package dev.intake.status.lookup;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the status look-up ({@code intake.status.*}).
 *
 * @param advertisedHost the host other instances reach this one at; with {@code server.port}
 * it is this instance's Kafka Streams {@code application.server}, so it must differ per instance
 * @param standbyReplicas Kafka Streams {@code num.standby.replicas}: warm copies of each store on
 * other instances, for fast fail-over (needs that many more instances)
 * @param readYourWritesTimeout how long a look-up of a batch the store has not caught up with
 * waits for it before answering 503
 * @param readYourWritesPollInterval how often such a look-up checks the store again
 * @param forwardTimeout how long a look-up forwarded to the owning instance may take; above
 * {@code read-your-writes-timeout}, since that instance may wait that long
 * @param forwardMaxAnswerSize the largest answer accepted from the owning instance (it is
 * buffered whole); a batch of 300 items answers well under 1MB
 * @param readOnEventLoop whether a batch look-up reads the store on the thread that took the
 * request (an in-memory metadata look-up and a get from the store's record cache or RocksDB,
 * microseconds; at worst a wait while the stream thread flushes its cache) instead of handing the
 * read to a blocking thread: every hand-over is a thread wake-up, which waits for a core when
 * the workers keep the cores busy. A look-up that misses re-checks on a blocking thread either way
 * @param finishedAnswersSize the memory for the rendered answers of finished batches, most
 * recently asked first: a finished batch's answer (a few hundred KB of JSON for 300 items) is
 * rendered once and sent as it is while its progress does not change; 0 renders every look-up
 */
@Validated
@ConfigurationProperties("intake.status")
record StatusProperties(@DefaultValue("127.0.0.1") @NotBlank String advertisedHost,
		@DefaultValue("0") @Min(0) int standbyReplicas, @DefaultValue("5s") Duration readYourWritesTimeout,
		@DefaultValue("5ms") Duration readYourWritesPollInterval, @DefaultValue("10s") Duration forwardTimeout,
		@DefaultValue("4MB") DataSize forwardMaxAnswerSize, @DefaultValue("true") boolean readOnEventLoop,
		@DefaultValue("4MB") DataSize finishedAnswersSize) {

	StatusProperties {
		requirePositive(readYourWritesTimeout, "read-your-writes-timeout");
		requirePositive(readYourWritesPollInterval, "read-your-writes-poll-interval");
		requirePositive(forwardTimeout, "forward-timeout");
		if (finishedAnswersSize.isNegative()) {
			throw new IllegalArgumentException("intake.status.finished-answers-size must not be negative");
		}
		if (forwardMaxAnswerSize.toBytes() < 1024) {
			throw new IllegalArgumentException("intake.status.forward-max-answer-size must be at least 1KB");
		}
	}

	private static void requirePositive(Duration duration, String name) {
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("intake.status." + name + " must be positive");
		}
	}

}
