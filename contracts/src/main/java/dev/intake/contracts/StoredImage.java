package dev.intake.contracts;

/**
 * What a worker stored for one image and what it measured from the bytes.
 *
 * @param key object key of the original, derived from tenant and content (see {@link ObjectKeys})
 * @param format the format the bytes are in, whatever the name or declared type said
 */
public record StoredImage(String bucket, String key, long size, String contentType, ImageFormat format,
		String md5, String sha256, int width, int height) {
}
