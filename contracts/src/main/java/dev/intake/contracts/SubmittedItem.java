package dev.intake.contracts;

/**
 * One item of a submitted batch.
 *
 * @param index zero-based position in the client's input, the {@code index} of the status API
 * @param itemId unique per batch and stable across redeliveries; the key of {@link Topics#JOBS}
 * @param name the image name reported back to the client
 */
public record SubmittedItem(int index, String itemId, String name, ItemSource source) {
}
