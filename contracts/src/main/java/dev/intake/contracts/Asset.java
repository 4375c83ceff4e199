package dev.intake.contracts;

import java.time.Instant;
import java.util.Map;

/**
 * One file of a tenant's catalogue, the value of {@link Topics#ASSETS} keyed by
 * {@link #key(String, long)}. Written by the status-service when an item linked to an asset
 * ({@link AssetLink}) is stored; a compacted topic, so the latest value per asset is its state.
 *
 * @param originalName the file name the client sent
 * @param file what the worker stored and measured (for a document: no width, height or renditions)
 * @param createdAt when the asset was first stored
 * @param updatedAt when its file was last stored; never earlier than a previous value's
 * @param revision 1 for the first file, one more per replacement
 * @param batchId the internal batch of the upload that stored the current file
 */
public record Asset(String tenant, long id, String api, Map<String, String> attributes, String originalName,
		StoredImage file, Instant createdAt, Instant updatedAt, long revision, String batchId) {

	public Asset {
		attributes = (attributes != null) ? Map.copyOf(attributes) : Map.of();
	}

	/** The Kafka key and store key of an asset: {@code tenant/id}. */
	public static String key(String tenant, long id) {
		return tenant + "/" + id;
	}

	public String key() {
		return key(tenant, id);
	}

}
