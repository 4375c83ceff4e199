package dev.intake.contracts;

import java.time.Instant;
import java.util.Map;

/**
 * The data of {@link EventType#ASSET_CREATED} (revision 1) and {@link EventType#ASSET_REPLACED}
 * (every later revision): an asset of a compatible API got a file. Published once per revision,
 * keyed by {@link Asset#key()}, so an asset's events keep their order.
 *
 * @param assetId the id the compatible API answered with
 * @param api the compatible API the asset was created through (e.g. {@code anqicms})
 * @param attributes that API's own fields, as strings
 * @param name the file name the client sent
 * @param revision 1 for the first file, one more per replacement
 * @param batchId the internal batch of the upload that stored this file
 * @param updatedAt when this file was stored; also the event's {@code time}
 */
public record AssetStored(String tenant, long assetId, String api, Map<String, String> attributes, String name,
		long revision, StoredFile file, Instant createdAt, Instant updatedAt, String batchId) {

	public AssetStored {
		attributes = (attributes != null) ? Map.copyOf(attributes) : Map.of();
	}

}
