package dev.intake.worker.imaging;

/**
 * The bytes claim a format (by their magic) but their header cannot be read as one: the image
 * is corrupt, truncated or refused (an SVG with a document type declaration). A property of the
 * input, never of the infrastructure, so it is never worth a retry.
 */
public class UnreadableImageException extends Exception {

	public UnreadableImageException(String reason) {
		super(reason);
	}

	public UnreadableImageException(String reason, Throwable cause) {
		super(reason, cause);
	}

}
