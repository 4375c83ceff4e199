package dev.intake.contracts;

/**
 * Stable codes for an item that failed. The code is the contract; the message that goes with it
 * is written for people and may change. Documented in the README.
 */
public enum ItemError {

	/** The bytes are not one of the accepted image formats. */
	UNSUPPORTED_FORMAT,
	/** The bytes claim a supported format but cannot be read as one. */
	CORRUPT_IMAGE,
	/** An SVG with active content (script, foreignObject, event handlers, external references). */
	UNSAFE_SVG,
	/** Over the byte-size limit. */
	TOO_LARGE,
	/** Over the pixel or per-side limit, judged from the header before decoding. */
	TOO_MANY_PIXELS,
	/** The bytes to process could not be found (e.g. a staged upload that expired). */
	SOURCE_MISSING,
	/** A remote URL could not be fetched. */
	FETCH_FAILED,
	/** A remote URL was refused by the fetch policy (scheme, port, address). */
	URL_REFUSED,
	/** Transient failures outlasted the retry budget. */
	RETRIES_EXHAUSTED,
	/** The item could not be processed at all; the record went to the dead-letter topic. */
	PROCESSING_FAILED

}
