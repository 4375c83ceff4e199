package dev.intake.worker.webhooks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The waits between delivery attempts. As a {@link BackOff} it is the configured schedule as is,
 * then stop: Spring Kafka turns it into one retry topic per wait. The wait a failed delivery
 * actually gets is {@link #jitteredWait}: the wait plus up to {@code jitter} of itself, drawn for
 * each record and carried in the record's due time ({@link RetryDue}).
 */
final class DeliverySchedule implements BackOff {

	private final List<Duration> waits;

	private final double jitter;

	DeliverySchedule(List<Duration> waits, double jitter) {
		this.waits = List.copyOf(waits);
		this.jitter = jitter;
	}

	/** The wait after failed attempt {@code attempt} (1 is the first), jitter drawn now. */
	Duration jitteredWait(int attempt) {
		long wait = waitMillis(attempt - 1);
		return Duration.ofMillis(wait + (long) (ThreadLocalRandom.current().nextDouble() * jitter * wait));
	}

	private long waitMillis(int index) {
		return Math.max(1, waits.get(index).toMillis());
	}

	@Override
	public BackOffExecution start() {
		return new BackOffExecution() {

			private int next;

			@Override
			public long nextBackOff() {
				return (next < waits.size()) ? waitMillis(next++) : STOP;
			}

		};
	}

}
