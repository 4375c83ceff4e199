package dev.intake.contracts;

import java.util.List;

/**
 * What a worker stored for one image and what it measured from the bytes.
 *
 * @param key the public key of the original, derived from tenant and content (see {@link ObjectKeys}),
 * under which the image origin serves it
 * @param format the format the bytes are in, whatever the name or declared type said
 * @param width as displayed (EXIF orientation applied)
 * @param height as displayed (EXIF orientation applied)
 * @param frames number of frames (1 for still images)
 * @param renditions derived images stored beside the original; empty when none are configured
 * @param duplicate true when identical bytes of the same tenant were already stored, so this item
 * points to the existing object
 * @param document for a non-image attachment, its format; {@code format} is then null, width,
 * height and frames are 0 and there are no renditions. Null for images.
 * @param object the object key where the bytes physically are when that is not {@code key}: an
 * {@link ObjectKeys#upload} object the worker verified, which the content index names as the one
 * object of this content once it decided; null when {@code key} itself holds the bytes
 */
public record StoredImage(String bucket, String key, long size, String contentType, ImageFormat format, String md5,
		String sha256, int width, int height, int frames, List<Rendition> renditions, boolean duplicate,
		DocumentFormat document, String object) {

	public StoredImage {
		renditions = (renditions != null) ? List.copyOf(renditions) : List.of();
		frames = (document != null) ? 0 : Math.max(frames, 1);
	}

	/** Stored at {@code key} itself. */
	public StoredImage(String bucket, String key, long size, String contentType, ImageFormat format, String md5,
			String sha256, int width, int height, int frames, List<Rendition> renditions, boolean duplicate,
			DocumentFormat document) {
		this(bucket, key, size, contentType, format, md5, sha256, width, height, frames, renditions, duplicate,
				document, null);
	}

	/** An image (not a document). */
	public StoredImage(String bucket, String key, long size, String contentType, ImageFormat format, String md5,
			String sha256, int width, int height, int frames, List<Rendition> renditions, boolean duplicate) {
		this(bucket, key, size, contentType, format, md5, sha256, width, height, frames, renditions, duplicate, null);
	}

	/** The object key that holds the bytes: {@link #object()} when set, else {@link #key()}. */
	public String objectKey() {
		return (object != null) ? object : key;
	}

	/** This image as the content index decided it: its bytes in {@code winner}, a duplicate or not. */
	public StoredImage decided(String winner, boolean isDuplicate) {
		return new StoredImage(bucket, key, size, contentType, format, md5, sha256, width, height, frames, renditions,
				isDuplicate, document, winner);
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
