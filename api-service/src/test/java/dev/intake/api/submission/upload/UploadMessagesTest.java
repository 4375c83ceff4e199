package dev.intake.api.submission.upload;

import dev.intake.api.error.ApiProblem;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** The wording of the bach.art batch-upload API, to the character. */
class UploadMessagesTest {

	private static final long MB = 1024 * 1024;

	@Test
	void oversizeImage() {
		assertBadRequest(UploadMessages.imageTooLarge(2, "large_photo.jpg", 15 * MB, 10 * MB),
				"The 2nd image 'large_photo.jpg' size is 15.00MB, exceeds the maximum limit of 10MB.");
		assertBadRequest(UploadMessages.imageTooLarge(21, "a.png", 10 * MB + 1, 10 * MB),
				"The 21st image 'a.png' size is 10.01MB, exceeds the maximum limit of 10MB.");
	}

	@Test
	void unsupportedExtension() {
		assertBadRequest(UploadMessages.unsupportedExtension(1, "document.pdf", "pdf"),
				"The 1st file 'document.pdf' extension 'pdf' is not supported.");
		assertBadRequest(UploadMessages.unsupportedExtension(13, "noext", ""),
				"The 13th file 'noext' extension '' is not supported.");
	}

	@Test
	void requestAsAWhole() {
		assertBadRequest(UploadMessages.emptyFileList(), "The upload file list cannot be empty.");
		assertBadRequest(UploadMessages.namesMismatch(),
				"The length of imageNames array must match the length of files array.");
		assertBadRequest(UploadMessages.tooManyImages(300), "The number of images exceeds the maximum of 300 per batch.");
		assertBadRequest(UploadMessages.invalidBatchId(),
				"The batch_id must be 1 to 64 characters: letters, digits, '.', '_' or '-' (not '.' or '..' alone).");
		assertBadRequest(UploadMessages.archiveEntryTooLarge(3, "set.zip", "a/b.png", 10 * MB),
				"The 3rd file 'set.zip' entry 'a/b.png' size is over 10.00MB, exceeds the maximum limit of 10MB.");
	}

	@Test
	void imagesTooLargeToReadToTheEnd() {
		assertBadRequest(UploadMessages.imageFarTooLarge(1, "huge.tif", 256 * MB, 10 * MB),
				"The 1st image 'huge.tif' size is over 256.00MB, exceeds the maximum limit of 10MB.");
	}

	@Test
	void unavailabilityAsksToRetry() {
		ApiProblem problem = UploadMessages.queueUnavailable();
		assertThat(problem.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(problem.code()).isEqualTo(1500);
		assertThat(problem.headers().getFirst("Retry-After")).isEqualTo("1");
	}

	private static void assertBadRequest(ApiProblem problem, String message) {
		assertThat(problem.status()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(problem.code()).isEqualTo(1000);
		assertThat(problem.getMessage()).isEqualTo(message);
	}

}
