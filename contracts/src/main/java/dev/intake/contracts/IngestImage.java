package dev.intake.contracts;

/**
 * Command to a worker: obtain, check, measure and store one image. Published to
 * {@link Topics#JOBS}, keyed by {@code itemId}. Delivered at least once; workers make every
 * effect idempotent (content-derived object keys, results keyed by item).
 *
 * @param attempt 1 for the first submission; a retry of a failed item publishes a higher one
 * @param options renditions and accepted kinds of file; {@link IngestOptions#DEFAULT} when absent
 */
public record IngestImage(String tenant, String batchId, String itemId, int index, String name,
		ItemSource source, int attempt, IngestOptions options) {

	public IngestImage {
		options = (options != null) ? options : IngestOptions.DEFAULT;
	}

	/** A batch item with the default options. */
	public IngestImage(String tenant, String batchId, String itemId, int index, String name, ItemSource source,
			int attempt) {
		this(tenant, batchId, itemId, index, name, source, attempt, IngestOptions.DEFAULT);
	}


	public BatchKey batchKey() {
		return new BatchKey(tenant, batchId);
	}

}
