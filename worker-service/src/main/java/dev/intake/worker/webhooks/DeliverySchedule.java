package dev.intake.worker.webhooks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The waits between delivery attempts: the configured schedule, each wait plus up to
 * {@code jitter} of itself at random, then stop. Spring Kafka turns these into one retry topic per
 * wait, so the jitter is drawn once per retry topic and instance rather than per record.
 */
final class DeliverySchedule implements BackOff {

	private final List<Duration> waits;

	private final double jitter;

	DeliverySchedule(List<Duration> waits, double jitter) {
		this.waits = List.copyOf(waits);
		this.jitter = jitter;
	}

	@Override
	public BackOffExecution start() {
		return new BackOffExecution() {

			private int next;

			@Override
			public long nextBackOff() {
				if (next >= waits.size()) {
					return STOP;
				}
				long wait = Math.max(1, waits.get(next++).toMillis());
				return wait + (long) (ThreadLocalRandom.current().nextDouble() * jitter * wait);
			}

		};
	}

}
