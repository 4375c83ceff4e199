package dev.intake.contracts;

import java.time.Instant;

/**
 * Every item of a batch reached a final state. Published exactly once per batch by the
 * status-service to {@link Topics#EVENTS} as a CloudEvent of type
 * {@value #TYPE} (binary mode: {@code ce_*} headers, this record as JSON data).
 */
public record BatchCompleted(String tenant, String batchId, int totalCount, int successCount, int failedCount,
		Instant submittedAt, Instant completedAt) {

	public static final String TYPE = "dev.intake.batch.completed.v1";

}
