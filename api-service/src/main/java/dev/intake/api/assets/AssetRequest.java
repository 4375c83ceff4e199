package dev.intake.api.assets;

import java.util.Map;

import dev.intake.contracts.IngestOptions;

/**
 * What an adapter decided from a single-file form's fields: a new asset or the replacement of one,
 * the fields of its API to keep with the asset, and how the worker treats the file.
 *
 * @param replaceId the asset whose file this replaces, or 0 for a new asset
 * @param api the compatible API's name, kept with the asset
 * @param attributes that API's own fields (a category id, an image type …)
 * @param options the rendition profile and whether documents are accepted
 */
public record AssetRequest(long replaceId, String api, Map<String, String> attributes, IngestOptions options) {

	public AssetRequest {
		attributes = (attributes != null) ? Map.copyOf(attributes) : Map.of();
	}

	boolean replaces() {
		return replaceId > 0;
	}

}
