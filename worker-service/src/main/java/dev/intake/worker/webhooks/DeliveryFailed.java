package dev.intake.worker.webhooks;

import java.time.Instant;

/**
 * A delivery attempt failed and another is due at {@link #due()}: the record goes on to the next
 * retry topic, due then ({@link RetryDue}).
 */
class DeliveryFailed extends RuntimeException {

	private final Instant due;

	DeliveryFailed(String reason, Instant due) {
		super(reason, null, false, false);
		this.due = due;
	}

	Instant due() {
		return due;
	}

}
