package dev.intake.api.submission.multipart;

import org.springframework.core.codec.DecodingException;

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

	/** Any malformed form: bad part headers, or a body the reader cannot decode. */
	public static boolean malformed(Throwable ex) {
		return ex instanceof DecodingException || badPartHeaders(ex);
	}

}
