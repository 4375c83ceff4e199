package dev.intake.contracts;

import java.util.Map;

/**
 * Makes an item's stored file an asset of the tenant's catalogue, as the single-file APIs do.
 *
 * @param id the asset id: unique per tenant, stable, below 2^53 (see {@link AssetIds})
 * @param replace true when the item replaces the file of an existing asset, whose id and created
 *        time stay
 * @param api the compatible API the asset was created through (e.g. {@code anqicms}), which decides
 *        the fields it is answered with
 * @param attributes that API's own fields (a category id, an image type, a namespace …), as strings
 */
public record AssetLink(long id, boolean replace, String api, Map<String, String> attributes) {

	public AssetLink {
		attributes = (attributes != null) ? Map.copyOf(attributes) : Map.of();
	}

}
