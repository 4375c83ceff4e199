package dev.intake.contracts;

/**
 * Command to a worker: obtain, check, measure and store one image. Published to
 * {@link Topics#JOBS}, keyed by {@code itemId}. Delivered at least once; workers make every
 * effect idempotent (content-derived object keys, results keyed by item).
 *
 * @param attempt 1 for the first submission; a retry of a failed item publishes a higher one
 */
public record IngestImage(String tenant, String batchId, String itemId, int index, String name,
		ItemSource source, int attempt) {

	public BatchKey batchKey() {
		return new BatchKey(tenant, batchId);
	}

}
