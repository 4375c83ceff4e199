package dev.intake.cli;

import dev.intake.contracts.DisplayNames;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.JsonNode;

/**
 * Text the CLI prints but did not write itself (file names and paths, batch ids, and whatever the
 * server sends: names, URLs, messages, codes) made safe for a terminal. A name with {@code ESC [}
 * in it would otherwise recolour the terminal, move its cursor or set its title, one with BEL ring
 * it, one with a right-to-left override read backwards, and a line separator or carriage return
 * start a line that looks like the CLI's own. The characters are those {@link DisplayNames}, which
 * the server cleans names with, replaces: C0 and C1 controls, DEL, the line and paragraph
 * separators and the bidi controls, each printed as U+FFFD. JSON output keeps the text exact and
 * writes them as JSON's escapes of backslash, {@code u} and four hex digits instead
 * ({@link JsonEscapes}), so a script reads exactly what the server sent.
 */
public final class TerminalText {

	private TerminalText() {
	}

	/** {@code value}'s text with every unsafe character replaced by U+FFFD. */
	public static String of(Object value) {
		return DisplayNames.clean(String.valueOf(value));
	}

	/** The text of {@code node}'s field {@code name} ({@code ""} when missing or null), made safe. */
	public static String field(JsonNode node, String name) {
		return DisplayNames.clean(node.path(name).asString(""));
	}

	/**
	 * Escapes in JSON what {@link DisplayNames} counts as unsafe: Jackson escapes the C0 controls
	 * anyway; this adds DEL, the C1 controls, the separators and the bidi controls.
	 */
	static final class JsonEscapes extends CharacterEscapes {

		private static final int[] ASCII = asciiEscapes();

		@Override
		public int[] getEscapeCodesForAscii() {
			return ASCII;
		}

		@Override
		public SerializableString getEscapeSequence(int ch) {
			char c = (char) ch;
			if (Character.isSurrogate(c) || DisplayNames.isClean(String.valueOf(c))) {
				return null;
			}
			return new SerializedString(String.format("\\u%04x", ch));
		}

		private static int[] asciiEscapes() {
			int[] escapes = CharacterEscapes.standardAsciiEscapesForJSON();
			escapes[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
			return escapes;
		}

	}

}
