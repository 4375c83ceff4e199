package dev.intake.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A batch was accepted: published once per batch to {@link Topics#BATCHES}, in the same Kafka
 * transaction as its jobs, so either the batch and all its jobs exist or none do.
 */
public record BatchSubmitted(String tenant, String batchId, Instant submittedAt,
		List<SubmittedItem> items) implements BatchRecord {

	public BatchSubmitted {
		items = List.copyOf(items);
	}

	public BatchKey key() {
		return new BatchKey(tenant, batchId);
	}

}
