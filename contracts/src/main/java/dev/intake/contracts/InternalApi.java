package dev.intake.contracts;

/**
 * The internal HTTP API the status-service offers the api-service (and its own peers): paths
 * and the header of the shared service credential. Every path is under {@link #ROOT}; answers
 * use the {@link ApiResponse} envelope.
 */
public final class InternalApi {

	/** Everything internal lives below this path, guarded by {@link #TOKEN_HEADER}. */
	public static final String ROOT = "/internal";

	/** Carries the shared service credential ({@code intake.internal.token}) on every internal call. */
	public static final String TOKEN_HEADER = "X-Intake-Internal-Token";

	/** The status of one batch of one tenant. */
	public static final String BATCH_STATUS = ROOT + "/batches/{tenant}/{batchId}";

	/** The live progress of one batch as Server-Sent Events. */
	public static final String BATCH_EVENTS = BATCH_STATUS + "/events";

	/** The failed items of one batch that a retry round would run again, with their sources. */
	public static final String BATCH_RETRYABLE = BATCH_STATUS + "/retryable";

	/** One asset of a tenant's catalogue; {@code ?batch=} waits until that upload's file is applied. */
	public static final String ASSET = ROOT + "/tenants/{tenant}/assets/{id}";

	/** The files linked to one batch of one nursery of a tenant (the nursery image API), in link order. */
	public static final String NURSERY_LINKS = ROOT + "/tenants/{tenant}/nurseries/{nurseryId}/batches/{batchId}/links";

	/**
	 * Where the verified bytes of one content of a tenant are ({@code sha256} in hex): the content
	 * index's entry, 404 while no upload of that content is stored.
	 */
	public static final String CONTENT = ROOT + "/tenants/{tenant}/contents/{sha256}";

	/**
	 * POST a JSON array of upload object keys; the answer's {@code data.owned} lists those the
	 * content index keeps (for the sweeper).
	 */
	public static final String UPLOADS_OWNED = ROOT + "/uploads/owned";

	private InternalApi() {
	}

	/** Whether a request path is part of the internal API. */
	public static boolean covers(String path) {
		return path.equals(ROOT) || path.startsWith(ROOT + "/");
	}

}
