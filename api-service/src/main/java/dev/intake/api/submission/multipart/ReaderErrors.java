package dev.intake.api.submission.multipart;

import dev.intake.api.submission.upload.UploadProperties;
import dev.intake.contracts.Wording;

import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;

/**
 * What Spring's multipart reader throws for a form the client got wrong, so every multipart route
 * (the batch upload, the single-file forms, the file service) answers it as the client's error.
 */
public final class ReaderErrors {

	private ReaderErrors() {
	}

	/**
	 * A part's headers that do not parse: a bad media type ({@code InvalidMediaTypeException} is an
	 * {@link IllegalArgumentException}), or a {@code Content-Disposition} Spring's parser refuses
	 * (an unclosed quote fails with an index error).
	 */
	public static boolean badPartHeaders(Throwable ex) {
		return ex instanceof IllegalArgumentException || ex instanceof IndexOutOfBoundsException;
	}

	/**
	 * Which of the reader's limits {@code ex} says was passed, in words a client can act on: its
	 * messages tell a part's headers, a part and a text field apart.
	 */
	public static String limitPassed(DataBufferLimitException ex, UploadProperties limits) {
		String message = (ex.getMessage() != null) ? ex.getMessage() : "";
		if (message.startsWith("Part headers")) {
			return "The headers of a part exceed " + limits.maxPartHeaderSize().toBytes() / 1024 + "KB.";
		}
		if (message.startsWith("Part exceeded")) {
			return "A part exceeds the maximum size of " + Wording.limitMegabytes(limits.maxPartSize().toBytes()) + ".";
		}
		return "A text field exceeds the maximum size of " + limits.maxFormFieldSize().toBytes() / 1024 + "KB.";
	}

	/** Any malformed form: bad part headers, or a body the reader cannot decode. */
	public static boolean malformed(Throwable ex) {
		return ex instanceof DecodingException || badPartHeaders(ex);
	}

}
