package dev.intake.worker.imaging.svg;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses CSS (a {@code <style>} element's text, or any attribute value) that imports or points
 * to a resource outside the document, or holds a script {@code expression(...)}. Comments are dropped and escapes decoded first, as a
 * browser does, so {@code @\69mport} and {@code u\72l(} are caught too.
 */
final class SvgCss {

	private static final Pattern URL = Pattern.compile("url\\(\\s*['\"]?\\s*([^'\")\\s]*)");

	/** Old Internet Explorer ran {@code expression(...)} values as script. */
	private static final Pattern EXPRESSION = Pattern.compile("expression\\s*+\\(");

	private static final Pattern COMMENT = Pattern.compile("/\\*.*?(\\*/|$)", Pattern.DOTALL);

	private SvgCss() {
	}

	static void check(String text) throws SvgActiveContentException {
		if (text.indexOf('@') < 0 && text.indexOf('(') < 0) {
			return;
		}
		String css = normalise(text);
		if (css.contains("@import")) {
			throw new SvgActiveContentException("its styles import a resource outside the document");
		}
		if (EXPRESSION.matcher(css).find()) {
			throw new SvgActiveContentException("its styles contain a script expression");
		}
		Matcher url = URL.matcher(css);
		while (url.find()) {
			if (!url.group(1).startsWith("#")) {
				throw new SvgActiveContentException("it refers to a resource outside the document (url)");
			}
		}
	}

	/** Lower case, comments removed, {@code \hex} and {@code \char} escapes decoded. */
	static String normalise(String text) {
		String css = COMMENT.matcher(text).replaceAll("");
		StringBuilder out = new StringBuilder(css.length());
		for (int i = 0; i < css.length(); i++) {
			char c = css.charAt(i);
			if (c != '\\' || i + 1 >= css.length()) {
				out.append(c);
				continue;
			}
			int end = i + 1;
			while (end < css.length() && end < i + 7 && Character.digit(css.charAt(end), 16) >= 0) {
				end++;
			}
			if (end == i + 1) {
				// an escaped character stands for itself (an escaped newline for nothing)
				char next = css.charAt(++i);
				if (next != '\n') {
					out.append(next);
				}
				continue;
			}
			int code = Integer.parseInt(css.substring(i + 1, end), 16);
			out.appendCodePoint((code == 0 || code > Character.MAX_CODE_POINT) ? 0xFFFD : code);
			// one white space after a hex escape belongs to it
			i = (end < css.length() && Character.isWhitespace(css.charAt(end))) ? end : end - 1;
		}
		return out.toString().toLowerCase(Locale.ROOT);
	}

}
