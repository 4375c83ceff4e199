package dev.intake.api.compat.fileservice;

import java.time.Instant;

/**
 * One version of a file-service file, as its version record stores it.
 *
 * @param handle the server-made UUID of this version
 * @param key the object key of this version's bytes
 * @param lastModified when this version was recorded (whole seconds)
 * @param imageBatch the batch of one that checks and measures this version's bytes as an image
 *        ({@link ImageChecks}); null for documents and placeholders, which are stored as they are
 */
record FileVersion(String namespace, String name, int version, Acl acl, long size, String handle,
		String contentType, String key, Instant lastModified, String imageBatch) {
}
