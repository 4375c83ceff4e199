package dev.intake.api.submission.json;

import dev.intake.api.submission.upload.StagedFile;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decodes one streamed Base64 value, character by character, as strictly as
 * {@link java.util.Base64#getDecoder()} or {@link java.util.Base64#getUrlDecoder()} after removing
 * every CR and LF: the standard or the URL-safe alphabet (not both in one value), padding optional
 * but only at the end, line breaks anywhere (as MIME and most encoders place them), no other white
 * space. An optional {@code data:<type>;base64,} prefix is recognised and gives the
 * content type, passed on only when it is an image type Intake knows (a prefix with control
 * characters, white space or no valid {@code type/subtype} makes the value invalid). The decoded size is counted from the encoded length as it arrives; once it
 * passes the limit, nothing more is decoded (the value is only counted to its end, so the error
 * can state its real size).
 */
final class Base64Data {

	private static final String DATA = "data:";

	private static final int MAX_PREFIX = 256;

	/**
	 * What may stand between {@code data:} and {@code ,} (lowercased): an optional
	 * {@code type/subtype} of token characters, parameters of visible ASCII, then {@code ;base64}.
	 */
	private static final Pattern DATA_META = Pattern
		.compile("([a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+)?(;[\\x21-\\x7e&&[^;,]]+)*;base64");

	private static final String LETTERS_AND_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	/** The characters both alphabets share: what a value may hold before it shows which one it uses. */
	private static final int[] SHARED = values(LETTERS_AND_DIGITS);

	private static final int[] STANDARD = values(LETTERS_AND_DIGITS + "+/");

	private static final int[] URL_SAFE = values(LETTERS_AND_DIGITS + "-_");

	private final long limit;

	private final StringBuilder prefix = new StringBuilder();

	private boolean prefixDone;

	private String contentType;

	private boolean invalid;

	private long chars;

	private int padding;

	private int quad;

	private int[] alphabet = SHARED;

	private byte[] out = new byte[0];

	private int outLength;

	Base64Data(long limit) {
		this.limit = limit;
	}

	/** Whether the content type is known yet (the prefix, if any, has been read). */
	boolean started() {
		return prefixDone;
	}

	/** The type a {@code data:} prefix declared, or null. */
	String contentType() {
		return contentType;
	}

	void accept(byte[] bytes, int from, int to) {
		ensureCapacity((to - from) * 3 / 4 + 3);
		int i = from;
		while (i < to) {
			if (prefixDone && !invalid && padding == 0 && (chars & 3) == 0) {
				i = quads(bytes, i, to);
				if (i == to) {
					break;
				}
			}
			accept((char) (bytes[i] & 0xff));
			i++;
		}
	}

	/**
	 * Decodes whole groups of four alphabet characters from {@code from} while the output stays
	 * within the limit; returns where it stopped: at the end, at a group with anything else in it
	 * (padding, a bad character, the value's last partial group), which the caller then reads one
	 * character at a time with every rule applied.
	 */
	private int quads(byte[] bytes, int from, int to) {
		long room = (limit - size()) / 3;
		int groups = (int) Math.min((to - from) >> 2, Math.max(room, 0));
		int i = from;
		for (int g = 0; g < groups; g++, i += 4) {
			int a = inAlphabet(bytes[i]);
			int b = inAlphabet(bytes[i + 1]);
			int c = inAlphabet(bytes[i + 2]);
			int d = inAlphabet(bytes[i + 3]);
			if ((a | b | c | d) < 0) {
				break;
			}
			int bits = (a << 18) | (b << 12) | (c << 6) | d;
			out[outLength] = (byte) (bits >> 16);
			out[outLength + 1] = (byte) (bits >> 8);
			out[outLength + 2] = (byte) bits;
			outLength += 3;
			chars += 4;
		}
		return i;
	}

	private int inAlphabet(byte b) {
		return (b < 0) ? -1 : alphabet[b];
	}

	/**
	 * The value of {@code c}; the first character only one alphabet has decides the alphabet, so
	 * a character of the other one is invalid from then on.
	 */
	private int value(char c) {
		if (c >= 128) {
			return -1;
		}
		if (alphabet == SHARED && SHARED[c] < 0) {
			if (STANDARD[c] >= 0) {
				alphabet = STANDARD;
			}
			else if (URL_SAFE[c] >= 0) {
				alphabet = URL_SAFE;
			}
		}
		return alphabet[c];
	}

	private static int[] values(String alphabet) {
		int[] values = new int[128];
		Arrays.fill(values, -1);
		for (int i = 0; i < alphabet.length(); i++) {
			values[alphabet.charAt(i)] = i;
		}
		return values;
	}

	void accept(char c) {
		if (invalid) {
			return;
		}
		if (!prefixDone) {
			prefix(c);
			return;
		}
		if (c == '\r' || c == '\n') {
			return;
		}
		if (c == '=' && padding < 2) {
			padding++;
			return;
		}
		int value = value(c);
		if (value < 0 || padding > 0) {
			invalid = true;
			return;
		}
		chars++;
		quad = (quad << 6) | value;
		if (chars % 4 == 0) {
			write(3, quad);
			quad = 0;
		}
	}

	/** The value ended: false when it was not valid Base64. */
	boolean finish() {
		if (!prefixDone) {
			String pending = prefix.toString();
			prefixDone = true;
			prefix.setLength(0);
			if (pending.length() >= DATA.length()) {
				invalid = true; // a data: prefix without its comma
			}
			else {
				pending.chars().forEach(c -> accept((char) c));
			}
		}
		int rest = (int) (chars % 4);
		if (invalid || chars == 0 || rest == 1 || (padding > 0 && (rest + padding) != 4)) {
			invalid = true;
			return false;
		}
		if (rest == 2) {
			write(1, quad >> 4);
		}
		else if (rest == 3) {
			write(2, quad >> 2);
		}
		return true;
	}

	/** Decoded size implied by the characters counted so far. */
	long size() {
		long rest = chars % 4;
		return chars / 4 * 3 + ((rest == 2) ? 1 : (rest == 3) ? 2 : 0);
	}

	boolean tooLarge() {
		return size() > limit;
	}

	/** Takes the bytes decoded since the last call, or null when there are none. */
	byte[] drain() {
		if (outLength == 0) {
			return null;
		}
		byte[] chunk = Arrays.copyOf(out, outLength);
		outLength = 0;
		return chunk;
	}

	private void prefix(char c) {
		prefix.append(c);
		String seen = prefix.toString();
		if (seen.length() <= DATA.length()) {
			if (!DATA.regionMatches(true, 0, seen, 0, seen.length())) {
				prefixDone = true; // no data: prefix after all; what was held back is Base64
				prefix.setLength(0);
				seen.chars().forEach(held -> accept((char) held));
			}
			return;
		}
		if (c == ',') {
			String meta = seen.substring(DATA.length(), seen.length() - 1).toLowerCase(Locale.ROOT);
			prefixDone = true;
			prefix.setLength(0);
			if (!meta.endsWith(";base64")) {
				invalid = true;
				return;
			}
			String type = meta.substring(0, meta.indexOf(';'));
			if (!DATA_META.matcher(meta).matches()) {
				invalid = true; // control characters, white space, non-ASCII or no type/subtype
				return;
			}
			contentType = type.isEmpty() ? null : StagedFile.knownImageType(type);
		}
		else if (seen.length() > MAX_PREFIX) {
			prefixDone = true;
			invalid = true;
		}
	}

	private void write(int count, int bits) {
		if (size() - count > limit) {
			return; // past the limit: only counted from here on
		}
		ensureCapacity(3);
		for (int i = count - 1; i >= 0; i--) {
			out[outLength++] = (byte) (bits >> (8 * i));
		}
	}

	private void ensureCapacity(int needed) {
		if (out.length < outLength + needed) {
			out = Arrays.copyOf(out, Math.max(outLength + needed, 2 * out.length));
		}
	}

}
