package dev.intake.worker.webhooks;

/** A delivery attempt failed and another is due: the record goes on to the next retry topic. */
class DeliveryFailed extends RuntimeException {

	DeliveryFailed(String reason) {
		super(reason, null, false, false);
	}

}
