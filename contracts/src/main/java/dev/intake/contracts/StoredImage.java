package dev.intake.contracts;

import java.util.List;

/**
 * What a worker stored for one image and what it measured from the bytes.
 *
 * @param key object key of the original, derived from tenant and content (see {@link ObjectKeys})
 * @param format the format the bytes are in, whatever the name or declared type said
 * @param width as displayed (EXIF orientation applied)
 * @param height as displayed (EXIF orientation applied)
 * @param frames number of frames (1 for still images)
 * @param renditions derived images stored beside the original; empty when none are configured
 * @param duplicate true when identical bytes of the same tenant were already stored, so this item
 * points to the existing object
 * @param document for a non-image attachment, its format; {@code format} is then null, width,
 * height and frames are 0 and there are no renditions. Null for images.
 */
public record StoredImage(String bucket, String key, long size, String contentType, ImageFormat format, String md5,
		String sha256, int width, int height, int frames, List<Rendition> renditions, boolean duplicate,
		DocumentFormat document) {

	public StoredImage {
		renditions = (renditions != null) ? List.copyOf(renditions) : List.of();
		frames = (document != null) ? 0 : Math.max(frames, 1);
	}

	/** An image (not a document). */
	public StoredImage(String bucket, String key, long size, String contentType, ImageFormat format, String md5,
			String sha256, int width, int height, int frames, List<Rendition> renditions, boolean duplicate) {
		this(bucket, key, size, contentType, format, md5, sha256, width, height, frames, renditions, duplicate, null);
	}

	/** Whether this is an image (with dimensions), not a document stored as it is. */
	public boolean isImage() {
		return document == null;
	}

	/** A single-frame image with no renditions, stored for the first time. */
	public StoredImage(String bucket, String key, long size, String contentType, ImageFormat format, String md5,
			String sha256, int width, int height) {
		this(bucket, key, size, contentType, format, md5, sha256, width, height, 1, List.of(), false);
	}

}
