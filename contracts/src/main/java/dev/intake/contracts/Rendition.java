package dev.intake.contracts;

/**
 * A derived image stored beside an original, e.g. {@code thumb} or {@code preview}.
 *
 * @param name the configured rendition name
 * @param key object key, under the original's content-derived prefix
 */
public record Rendition(String name, String key, String contentType, int width, int height, long size) {
}
