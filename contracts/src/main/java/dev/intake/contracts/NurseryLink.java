package dev.intake.contracts;

import java.time.Instant;

/**
 * A file of the tenant's catalogue linked to one batch of one nursery, with an image type: the
 * value of {@link Topics#NURSERY_LINKS}, keyed by {@link #key()}. Written by the api-service when
 * the nursery image API links a file; the status-service keeps each batch's links in link order.
 * Linking a file that is already linked changes only its type.
 *
 * @param nurseryId the client's own nursery number, scoped to the tenant
 * @param batchId the client's own batch number within the nursery (not an Intake batch id)
 * @param fileId the asset id of the linked file
 * @param fileName the file's generated name, with its extension
 * @param type the image type the client gave (e.g. {@code ROOT})
 * @param userId the user the client says linked it; recorded, never checked
 * @param uploadedAt when the file was first stored
 * @param linkedAt when the api-service accepted the link
 */
public record NurseryLink(String tenant, long nurseryId, long batchId, long fileId, String fileName, String type,
		long userId, Instant uploadedAt, Instant linkedAt) {

	/** Most links one batch keeps; a link past it is refused. */
	public static final int MAX_PER_BATCH = 1000;

	/** The Kafka key and store key of one nursery's batch: {@code tenant/nurseryId/batchId}. */
	public static String key(String tenant, long nurseryId, long batchId) {
		return tenant + "/" + nurseryId + "/" + batchId;
	}

	public String key() {
		return key(tenant, nurseryId, batchId);
	}

}
