package dev.intake.contracts;

import java.time.Instant;

/**
 * Every item of a batch reached a final state. Published exactly once per batch by the
 * status-service to {@link Topics#EVENTS} as a CloudEvent of type
 * {@value #TYPE} ({@link EventType#BATCH_COMPLETED}) from {@value #SOURCE} (binary mode:
 * {@link CloudEventHeaders}, this record as JSON data), after the batch's item events.
 */
public record BatchCompleted(String tenant, String batchId, int totalCount, int successCount, int failedCount,
		Instant submittedAt, Instant completedAt) {

	public static final String TYPE = "dev.intake.batch.completed.v1";

	/** The {@code source} attribute of every such event. */
	public static final String SOURCE = EventType.SOURCE;

}
