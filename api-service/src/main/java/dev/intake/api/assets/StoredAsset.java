package dev.intake.api.assets;

import java.time.Instant;
import java.util.Map;

/**
 * A single-file upload's outcome, from the item's final status: the asset and its file as stored
 * and measured, with the URL of the original and of every rendition, which serve at once.
 *
 * @param key the object key of the stored file
 * @param image false for a document (then width and height are 0 and there are no renditions)
 * @param renditions URL by rendition name
 * @param createdAt when the asset was first stored (a replacement keeps it)
 * @param updatedAt when this file was stored; never before the previous file's
 * @param attributes the API's own fields of the asset: the request's over a replaced asset's
 */
public record StoredAsset(long id, boolean replaced, String originalName, String key, String url,
		String contentType, boolean image, int width, int height, long size, String md5,
		Map<String, String> renditions, Instant createdAt, Instant updatedAt, Map<String, String> attributes) {

	public StoredAsset {
		renditions = Map.copyOf(renditions);
		attributes = Map.copyOf(attributes);
	}

	/** The URL of a rendition, or of the original when the profile has no such rendition. */
	public String renditionUrl(String name) {
		return renditions.getOrDefault(name, url);
	}

}
