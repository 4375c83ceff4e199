package dev.intake.contracts;

/**
 * A claim check: where bytes live in object storage. Records carry these, never image bytes.
 *
 * @param size bytes, or -1 when not known yet
 * @param contentType as declared by whoever wrote the object; never trusted for the format
 */
public record BlobRef(String bucket, String key, long size, String contentType) {
}
