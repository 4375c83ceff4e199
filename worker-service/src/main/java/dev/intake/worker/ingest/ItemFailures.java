package dev.intake.worker.ingest;

import java.time.Duration;
import java.time.Instant;

import dev.intake.contracts.DisplayNames;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemError;
import dev.intake.contracts.ItemIds;
import dev.intake.contracts.ItemResult.ImageFailed;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.Wording;
import dev.intake.worker.fetch.FetchException;
import dev.intake.worker.imaging.Dimensions;

/**
 * Every failure a worker reports for an item: its stable {@link ItemError} code and the message
 * people read, in the bach.art API's wording ("Image size is 15.00MB, exceeds the maximum limit of
 * 10MB."). Names in messages are the client's own, shortened and cleaned as {@link DisplayNames} keeps them.
 */
public final class ItemFailures {

	static final String RETRIES_EXHAUSTED = "The image could not be processed because storage or messaging "
			+ "was unavailable. Please try again later.";

	static final String URL_RETRIES_EXHAUSTED = "The image could not be fetched from the URL or processed "
			+ "because the server, storage or messaging was unavailable. Please try again later.";

	static final String PROCESSING_FAILED = "The image could not be processed.";

	private static final int MAX_NAME_LENGTH = 100;

	private ItemFailures() {
	}

	static ImageFailed tooLarge(IngestImage job, long size, long limit, Instant now) {
		return failed(job, ItemError.TOO_LARGE, "Image size is " + Wording.megabytes(size)
				+ ", exceeds the maximum limit of " + Wording.limitMegabytes(limit) + ".", now);
	}

	public static ImageFailed unsupportedFormat(IngestImage job, Instant now) {
		return failed(job, ItemError.UNSUPPORTED_FORMAT,
				"The file '" + displayName(job) + "' is not a supported image format.", now);
	}

	/** Neither an image nor an allowed document, for a job that allows documents. */
	public static ImageFailed unsupportedFile(IngestImage job, Instant now) {
		return failed(job, ItemError.UNSUPPORTED_FORMAT,
				"The file '" + displayName(job) + "' is not a supported image or document format.", now);
	}

	/** Over the size limit, for a job that allows documents (the kind of file is not known yet). */
	static ImageFailed fileTooLarge(IngestImage job, long size, long limit, Instant now) {
		return failed(job, ItemError.TOO_LARGE, "File size is " + Wording.megabytes(size)
				+ ", exceeds the maximum limit of " + Wording.limitMegabytes(limit) + ".", now);
	}

	public static ImageFailed corrupt(IngestImage job, ImageFormat format, Instant now) {
		return failed(job, ItemError.CORRUPT_IMAGE,
				"The file '" + displayName(job) + "' is not a valid " + format.name() + " image.", now);
	}

	public static ImageFailed svgDoctype(IngestImage job, Instant now) {
		return failed(job, ItemError.CORRUPT_IMAGE, "The file '" + displayName(job)
				+ "' is not a valid SVG image: document type declarations are not allowed.", now);
	}

	/** Active content has its own code, so clients can tell it from a broken file. */
	public static ImageFailed svgActiveContent(IngestImage job, String reason, Instant now) {
		return failed(job, ItemError.UNSAFE_SVG,
				"The file '" + displayName(job) + "' is not a valid SVG image: " + reason + ".", now);
	}

	public static ImageFailed tooManyPixels(IngestImage job, Dimensions size, long maxPixels, Instant now) {
		return failed(job, ItemError.TOO_MANY_PIXELS, "Image dimensions are " + size + " (" + size.pixels()
				+ " pixels), exceeds the maximum limit of " + maxPixels + " pixels.", now);
	}

	public static ImageFailed sideTooLong(IngestImage job, Dimensions size, int maxSide, Instant now) {
		return failed(job, ItemError.TOO_MANY_PIXELS, "Image dimensions are " + size
				+ ", exceeds the maximum limit of " + maxSide + " pixels per side.", now);
	}

	public static ImageFailed tooManyFrames(IngestImage job, int maxFrames, Instant now) {
		return failed(job, ItemError.TOO_MANY_PIXELS, "Image has more than " + maxFrames
				+ " frames, exceeds the maximum limit of " + maxFrames + " frames.", now);
	}

	public static ImageFailed decodeTimeout(IngestImage job, ImageFormat format, Duration timeout, Instant now) {
		return failed(job, ItemError.CORRUPT_IMAGE, "The file '" + displayName(job) + "' is not a valid "
				+ format.name() + " image: it could not be read within " + timeout.toSeconds() + " seconds.", now);
	}

	static ImageFailed sourceMissing(IngestImage job, Instant now) {
		return failed(job, ItemError.SOURCE_MISSING,
				"The uploaded file '" + displayName(job) + "' is no longer available. Please upload it again.", now);
	}

	static ImageFailed tooLargeFromUrl(IngestImage job, long size, long limit, Instant now) {
		return failed(job, ItemError.TOO_LARGE, "Image size from URL is " + Wording.megabytes(size)
				+ ", exceeds the maximum limit of " + Wording.limitMegabytes(limit) + ".", now);
	}

	static ImageFailed urlRefused(IngestImage job, String reason, Instant now) {
		return failed(job, ItemError.URL_REFUSED, "The URL is not allowed: " + reason + ".", now);
	}

	static ImageFailed fetchFailed(IngestImage job, String reason, Instant now) {
		return failed(job, ItemError.FETCH_FAILED, "The image could not be fetched from the URL: " + reason + ".",
				now);
	}

	/** The final result of a job whose transient failures outlasted the retries. */
	public static ImageFailed retriesExhausted(IngestImage job, Instant now) {
		return failed(job, ItemError.RETRIES_EXHAUSTED,
				(job.source() instanceof ItemSource.Remote) ? URL_RETRIES_EXHAUSTED : RETRIES_EXHAUSTED, now);
	}

	/**
	 * The final result of a job whose transient failures outlasted the retries, saying why when
	 * the last failure was the URL's own (a timeout, a 5xx): "The image could not be fetched from
	 * the URL: it took longer than 30s (still failing after retries). Please try again later."
	 */
	public static ImageFailed retriesExhausted(IngestImage job, Throwable lastFailure, Instant now) {
		for (Throwable cause = lastFailure; cause != null; cause = cause.getCause()) {
			if (cause instanceof FetchException fetch && fetch.kind() == FetchException.Kind.TRANSIENT
					&& job.source() instanceof ItemSource.Remote) {
				return failed(job, ItemError.RETRIES_EXHAUSTED, "The image could not be fetched from the URL: "
						+ fetch.getMessage() + " (still failing after retries). Please try again later.", now);
			}
		}
		return retriesExhausted(job, now);
	}

	/** The final result of a job that failed unexpectedly (its record is in the dead-letter topic). */
	public static ImageFailed processingFailed(IngestImage job, Instant now) {
		return failed(job, ItemError.PROCESSING_FAILED, PROCESSING_FAILED, now);
	}

	/**
	 * The final result of a job record that could not even be read, for the item its key names
	 * (the job's {@code itemId}); {@code attempt} as far as it could be made out of the record.
	 */
	public static ImageFailed processingFailed(ItemIds.Located item, String itemId, int attempt, Instant now) {
		return new ImageFailed(item.batch().tenant(), item.batch().batchId(), itemId, item.index(), attempt,
				ItemError.PROCESSING_FAILED.name(), PROCESSING_FAILED, now);
	}

	private static ImageFailed failed(IngestImage job, ItemError code, String message, Instant now) {
		return new ImageFailed(job.tenant(), job.batchId(), job.itemId(), job.index(), job.attempt(), code.name(),
				message, now);
	}

	/** The file name the client gave, else the item's name, as it is (null when neither). */
	public static String declaredName(IngestImage job) {
		return (job.source() instanceof ItemSource.Staged staged && staged.filename() != null
				&& !staged.filename().isBlank()) ? staged.filename() : job.name();
	}

	/** The file name the client gave, else the item's name, fit to quote in a message. */
	public static String displayName(IngestImage job) {
		String name = DisplayNames.clean(declaredName(job));
		if (name == null) {
			return "";
		}
		StringBuilder out = new StringBuilder();
		name.codePoints()
			.limit(MAX_NAME_LENGTH)
			.forEach(out::appendCodePoint);
		return (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) ? out + "..." : out.toString();
	}

}
