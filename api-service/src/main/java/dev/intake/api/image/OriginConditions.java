package dev.intake.api.image;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.ETag;
import org.springframework.http.HttpHeaders;

/**
 * What a GET on the origin asks beyond the object itself: {@code If-None-Match} (weak comparison,
 * lists and {@code *}, RFC 9110 §13.1.2) and one byte range ({@code Range: bytes=a-b}, {@code a-},
 * {@code -n}). Several ranges, a malformed range or an {@code If-Range} make the answer the whole
 * object, as the RFC allows. Nothing from the client reaches S3 unless it is a well-formed token.
 */
record OriginConditions(List<ETag> ifNoneMatch, String range) {

	private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d{1,18})?-(\\d{1,18})?");

	/** An entity tag S3 may be asked about: visible ASCII without quote or backslash. */
	private static final Pattern SAFE_TAG = Pattern.compile("[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,128}");

	static OriginConditions of(HttpHeaders headers) {
		List<ETag> tags = new ArrayList<>();
		for (String value : headers.getOrEmpty(HttpHeaders.IF_NONE_MATCH)) {
			tags.addAll(ETag.parse(value));
		}
		return new OriginConditions(List.copyOf(tags), range(headers));
	}

	private static String range(HttpHeaders headers) {
		List<String> values = headers.getOrEmpty(HttpHeaders.RANGE);
		if (values.size() != 1 || headers.containsHeader(HttpHeaders.IF_RANGE)) {
			return null;
		}
		String value = values.get(0).trim();
		Matcher range = SINGLE_RANGE.matcher(value);
		if (!range.matches() || (range.group(1) == null && range.group(2) == null)) {
			return null;
		}
		if (range.group(1) != null && range.group(2) != null
				&& Long.parseLong(range.group(1)) > Long.parseLong(range.group(2))) {
			return null;
		}
		return value;
	}

	/**
	 * The one strong tag S3 may evaluate itself (it answers 304 without a body), or null when the
	 * condition is a list, a wildcard or not a safe token; those are evaluated here.
	 */
	String storeCondition() {
		if (ifNoneMatch.size() != 1 || ifNoneMatch.get(0).isWildcard()) {
			return null;
		}
		String tag = ifNoneMatch.get(0).tag();
		return SAFE_TAG.matcher(tag).matches() ? "\"" + tag + "\"" : null;
	}

	/** Whether the stored object with this entity tag is not modified for the client. */
	boolean notModified(String storedTag) {
		if (ifNoneMatch.isEmpty()) {
			return false;
		}
		ETag current = storedTag == null ? null : ETag.create(storedTag);
		for (ETag tag : ifNoneMatch) {
			if (tag.isWildcard() || (current != null && tag.compare(current, false))) {
				return true;
			}
		}
		return false;
	}

}
