package dev.intake.contracts;

/**
 * Names clients give their files, as Intake keeps and answers them: without the characters that
 * make a name print or read as something else. Control characters (C0, DEL, C1: a terminal reads
 * {@code ESC [} as a command), line and paragraph separators and bidi controls (a right-to-left
 * override, U+202E, makes {@code photo<U+202E>gnp.exe} read as a PNG's name) each become U+FFFD, as
 * does half of a surrogate pair. Other text, emoji and joiners included, stays as sent.
 */
public final class DisplayNames {

	private static final char REPLACEMENT = '\uFFFD';

	private DisplayNames() {
	}

	/** {@code name} with every unsafe character replaced by U+FFFD; null stays null. */
	public static String clean(String name) {
		if (name == null || isClean(name)) {
			return name;
		}
		StringBuilder out = new StringBuilder(name.length());
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
				out.append(c).append(name.charAt(++i));
			}
			else {
				out.append(isUnsafe(c) || Character.isSurrogate(c) ? REPLACEMENT : c);
			}
		}
		return out.toString();
	}

	/** Whether {@code name} has no unsafe character (and no unpaired surrogate). */
	public static boolean isClean(String name) {
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
				i++;
			}
			else if (isUnsafe(c) || Character.isSurrogate(c)) {
				return false;
			}
		}
		return true;
	}

	private static boolean isUnsafe(char c) {
		return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u061c' || c == '\u200e'
				|| c == '\u200f' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
	}

}
