package dev.intake.status.content;

import dev.intake.contracts.StoredImage;

/**
 * The content index's entry of one content of a tenant: the one upload object that holds its
 * verified bytes, and what the image origin serves them as. Written once, by the first candidate
 * of the content; never changed.
 *
 * @param object the upload object key that holds the bytes
 * @param key the public key ({@code images/{tenant}/{sha256}.{ext}} or {@code files/...})
 * @param contentType the verified type the bytes are served as
 * @param itemId the item whose candidate won
 */
public record ContentEntry(String bucket, String object, String key, String contentType, long size, String itemId) {

	static ContentEntry of(StoredImage image, String itemId) {
		return new ContentEntry(image.bucket(), image.object(), image.key(), image.contentType(), image.size(),
				itemId);
	}

}
