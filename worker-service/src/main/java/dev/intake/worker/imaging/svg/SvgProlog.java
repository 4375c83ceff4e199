package dev.intake.worker.imaging.svg;

import java.nio.charset.StandardCharsets;

/**
 * Recognises an SVG document by its start: an optional UTF-8 byte order mark, then any mix of
 * white space, XML declaration or processing instructions, comments and a document type
 * declaration, then an {@code <svg} root element. Only what is in the given head is examined.
 */
public final class SvgProlog {

	private static final String UTF8_BOM = "\u00EF\u00BB\u00BF";

	private SvgProlog() {
	}

	public static boolean startsWithSvgRoot(byte[] head) {
		// ISO-8859-1 maps each byte to one char, so ASCII markup reads the same as in UTF-8
		String text = new String(head, StandardCharsets.ISO_8859_1);
		int i = text.startsWith(UTF8_BOM) ? UTF8_BOM.length() : 0;
		while (true) {
			i = skipWhitespace(text, i);
			if (text.startsWith("<?", i)) {
				i = after(text, "?>", i + 2);
			}
			else if (text.startsWith("<!--", i)) {
				i = after(text, "-->", i + 4);
			}
			else if (text.startsWith("<!DOCTYPE", i)) {
				i = afterDoctype(text, i + 9);
			}
			else {
				return text.startsWith("<svg", i) && i + 4 < text.length() && endsName(text.charAt(i + 4));
			}
			if (i < 0) {
				return false;
			}
		}
	}

	private static boolean endsName(char c) {
		return c == '>' || c == '/' || isWhitespace(c);
	}

	private static int skipWhitespace(String text, int from) {
		int i = from;
		while (i < text.length() && isWhitespace(text.charAt(i))) {
			i++;
		}
		return i;
	}

	private static boolean isWhitespace(char c) {
		return c == ' ' || c == '\t' || c == '\r' || c == '\n';
	}

	private static int after(String text, String terminator, int from) {
		int end = text.indexOf(terminator, from);
		return (end < 0) ? -1 : end + terminator.length();
	}

	private static int afterDoctype(String text, int from) {
		// an internal subset in [...] and quoted literals may contain '>'
		int depth = 0;
		char quote = 0;
		for (int i = from; i < text.length(); i++) {
			char c = text.charAt(i);
			if (quote != 0) {
				quote = (c == quote) ? 0 : quote;
			}
			else if (c == '"' || c == '\'') {
				quote = c;
			}
			else if (c == '[') {
				depth++;
			}
			else if (c == ']') {
				depth--;
			}
			else if (c == '>' && depth <= 0) {
				return i + 1;
			}
		}
		return -1;
	}

}
