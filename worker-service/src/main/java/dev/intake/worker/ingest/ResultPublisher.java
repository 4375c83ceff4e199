package dev.intake.worker.ingest;

import dev.intake.contracts.ItemResult;

/** Where item results go. */
public interface ResultPublisher {

	/**
	 * Publishes one item result and returns only once it is durable.
	 * @throws TransientFailure if it could not be made durable in time
	 */
	void publish(ItemResult result);

}
