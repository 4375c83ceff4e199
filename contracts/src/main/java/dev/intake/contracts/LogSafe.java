package dev.intake.contracts;

/**
 * Makes client-supplied text safe to put in a log line: control characters (line breaks
 * included, so nobody can forge log entries), line and paragraph separators and bidi controls
 * (which make a line read differently than it is) are escaped, and long text is cut short. Used by
 * every service for names and values that came from a client.
 */
public final class LogSafe {

	private static final int MAX_LENGTH = 200;

	private LogSafe() {
	}

	public static String text(Object value) {
		if (value == null) {
			return "null";
		}
		String text = value.toString();
		StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 8);
		for (int i = 0; i < text.length(); i++) {
			if (out.length() >= MAX_LENGTH) {
				return out.append("...").toString();
			}
			char c = text.charAt(i);
			switch (c) {
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				case '\\' -> out.append("\\\\");
				default -> {
					if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || isBidiControl(c)) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.toString();
	}

	private static boolean isBidiControl(char c) {
		return c == '\u061c' || c == '\u200e' || c == '\u200f' || (c >= '\u202a' && c <= '\u202e')
				|| (c >= '\u2066' && c <= '\u2069');
	}

}
