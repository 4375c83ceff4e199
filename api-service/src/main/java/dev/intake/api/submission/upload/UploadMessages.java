package dev.intake.api.submission.upload;

import java.time.Duration;
import java.util.Locale;

import dev.intake.api.error.ApiProblem;
import dev.intake.api.staging.StagedObjects;
import dev.intake.contracts.ApiError;
import dev.intake.contracts.DisplayNames;
import dev.intake.contracts.Wording;

import org.springframework.http.HttpStatus;

/** Every answer of the batch upload besides success, worded as the bach.art batch-upload API words them. */
public final class UploadMessages {

	private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	private UploadMessages() {
	}

	static ApiProblem emptyFileList() {
		return ApiProblem.badRequest("The upload file list cannot be empty.");
	}

	static ApiProblem namesMismatch() {
		return ApiProblem.badRequest("The length of imageNames array must match the length of files array.");
	}

	public static ApiProblem tooManyImages(int maxImages) {
		return ApiProblem.badRequest("The number of images exceeds the maximum of " + maxImages + " per batch.");
	}

	public static ApiProblem unsupportedExtension(int position, String filename, String extension) {
		return ApiProblem.badRequest("The " + Wording.ordinal(position) + " file '" + shown(filename) + "' extension '"
				+ shown(extension) + "' is not supported.");
	}

	/** A refused ZIP archive: the whole request is rejected, naming the archive and the entry. */
	public static ApiProblem badArchiveEntry(int position, String archive, String entry, String problem) {
		return ApiProblem.badRequest("The " + Wording.ordinal(position) + " file '" + shown(archive) + "' entry '"
				+ shown(entry) + "' " + problem + ".");
	}

	public static ApiProblem badArchive(int position, String archive, String problem) {
		return ApiProblem.badRequest("The " + Wording.ordinal(position) + " file '" + shown(archive) + "' " + problem + ".");
	}

	public static ApiProblem archiveEntryTooLarge(int position, String archive, String entry, long limit) {
		return badArchiveEntry(position, archive, entry,
				"size is over " + Wording.megabytes(limit) + ", exceeds the maximum limit of "
						+ Wording.limitMegabytes(limit));
	}

	public static ApiProblem missingFilename(int position) {
		return ApiProblem.badRequest("The " + Wording.ordinal(position) + " file has no filename.");
	}

	public static ApiProblem imageTooLarge(int position, String filename, long size, long limit) {
		return ApiProblem.badRequest("The " + Wording.ordinal(position) + " image '" + shown(filename) + "' size is "
				+ Wording.megabytes(size) + ", exceeds the maximum limit of " + Wording.limitMegabytes(limit) + ".");
	}

	/** An image so large that reading stopped before its end: its real size is unknown. */
	public static ApiProblem imageFarTooLarge(int position, String filename, long readLimit, long limit) {
		return ApiProblem.badRequest("The " + Wording.ordinal(position) + " image '" + shown(filename) + "' size is over "
				+ Wording.megabytes(readLimit) + ", exceeds the maximum limit of " + Wording.limitMegabytes(limit)
				+ ".");
	}

	/** A client's name as a message shows it: control and direction characters replaced ({@link DisplayNames}). */
	private static String shown(String name) {
		return DisplayNames.clean(name);
	}

	public static ApiProblem invalidBatchId() {
		return ApiProblem
			.badRequest("The batch_id must be 1 to 64 characters: letters, digits, '.', '_' or '-' (not '.' or '..' alone).");
	}

	public static ApiProblem batchExists(String batchId) {
		return new ApiProblem(HttpStatus.CONFLICT, ApiError.BATCH_EXISTS, "The batch_id '" + batchId
				+ "' already exists. Choose another batch_id, or resend the Idempotency-Key of the request that created it.");
	}

	static ApiProblem repeatedCallbackUrl() {
		return ApiProblem.badRequest("The callback_url must be given at most once.");
	}

	static ApiProblem repeatedBatchId() {
		return ApiProblem.badRequest("The batch_id must be given at most once.");
	}

	public static ApiProblem notATextField(String field) {
		return ApiProblem.badRequest("The '" + field + "' field must be a text field, not a file.");
	}

	/** A part whose Content-Disposition names no field (or a part without headers). */
	public static ApiProblem unnamedPart(int part) {
		return ApiProblem.badRequest("The " + Wording.ordinal(part)
				+ " part has no name; its Content-Disposition header must be form-data with a name.");
	}

	public static ApiProblem partContentTypeInvalid(int part) {
		return ApiProblem.badRequest("The " + Wording.ordinal(part) + " part's Content-Type header is not a valid media type.");
	}

	public static ApiProblem partDispositionInvalid(int part) {
		return ApiProblem.badRequest("The " + Wording.ordinal(part) + " part's Content-Disposition header is malformed.");
	}

	public static ApiProblem notMultipart() {
		return ApiProblem.badRequest("The request must be multipart/form-data with one or more 'files' parts.");
	}

	public static ApiProblem malformedMultipart() {
		return ApiProblem.badRequest("The multipart/form-data body is malformed.");
	}

	public static ApiProblem tooManyParts(int maxParts) {
		return ApiProblem.badRequest("The request has more than " + maxParts + " parts.");
	}

	public static ApiProblem busy() {
		return ApiProblem.unavailable("The service is busy, please retry.", RETRY_AFTER);
	}

	public static ApiProblem storageUnavailable() {
		return StagedObjects.storageUnavailable();
	}

	/** The batch's record is {@code size} bytes, over the {@code limit} the queue takes. */
	public static ApiProblem batchTooLarge(long size, long limit) {
		return ApiProblem.badRequest(String.format(Locale.ROOT,
				"The batch is too large to queue: its names, URLs and file names take %.2f MB, more than the %.2f MB a"
						+ " batch may take. Shorten the image names or send fewer images per batch.",
				size / 1048576.0, limit / 1048576.0));
	}

	public static ApiProblem queueUnavailable() {
		return ApiProblem.unavailable("The batch could not be queued, please retry.", RETRY_AFTER);
	}

	public static ApiProblem queueUncertain(String batchId) {
		return ApiProblem.unavailable("Queuing batch '" + batchId
				+ "' timed out and may or may not have succeeded; query its status before submitting it again.",
				RETRY_AFTER);
	}

}
