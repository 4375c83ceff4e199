package dev.intake.status.catalogue;

import java.time.Instant;

import dev.intake.contracts.Asset;
import dev.intake.contracts.AssetLink;
import dev.intake.contracts.StoredImage;

/**
 * One stored file for an asset: the first success of an asset-linked item, on its way from the
 * batch's partition to the asset's (the {@code asset-updates} repartition topic, keyed by
 * {@link Asset#key(String, long)}).
 *
 * @param name the item's name, the asset's original name
 * @param processedAt when the worker stored the file
 */
record AssetUpdate(String tenant, String batchId, int index, AssetLink link, String name, StoredImage file,
		Instant processedAt) {

	String assetKey() {
		return Asset.key(tenant, link.id());
	}

}
