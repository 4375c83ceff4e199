package dev.intake.api.submission.json;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import dev.intake.api.error.ApiProblem;

/**
 * A push tokenizer for JSON (RFC 8259) fed with the bytes of a request body as they arrive. It
 * keeps no more than its container stack and the string being collected: the {@link Handler}
 * chooses per string value whether it is collected (bounded), skipped, or streamed to it in pieces,
 * which is how a multi-megabyte Base64 value passes through without ever being held whole.
 */
final class JsonScanner {

	private static final Pattern LITERAL = Pattern
		.compile("true|false|null|-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

	private static final int MAX_LITERAL = 64;

	private enum State {

		VALUE, VALUE_OR_END, KEY, KEY_OR_END, COLON, COMMA_OR_END, STRING, LITERAL, DONE

	}

	/** What to do with a string value. */
	enum StringMode {

		COLLECT, SKIP, STREAM

	}

	private final Handler handler;

	private final int maxStringSize;

	private final boolean[] objects;

	private final ByteArrayOutputStream text = new ByteArrayOutputStream();

	private final StringBuilder literal = new StringBuilder();

	private int depth;

	private State state = State.VALUE;

	private boolean key;

	private StringMode mode;

	private boolean escape;

	private int unicodeDigits;

	private int unicodeValue;

	private long position;

	JsonScanner(Handler handler, int maxDepth, int maxStringSize) {
		this.handler = handler;
		this.objects = new boolean[maxDepth];
		this.maxStringSize = maxStringSize;
	}

	/** Scans more of the document; throws an {@link ApiProblem} when it is not valid JSON. */
	void feed(byte[] bytes, int offset, int length) {
		int end = offset + length;
		int i = offset;
		while (i < end) {
			if (state == State.STRING && mode == StringMode.STREAM && !escape && unicodeDigits == 0) {
				int run = i;
				while (run < end && bytes[run] != '"' && bytes[run] != '\\' && (bytes[run] & 0xff) >= 0x20) {
					run++;
				}
				if (run > i) {
					handler.streamed(bytes, i, run);
					position += run - i;
					i = run;
					continue;
				}
			}
			if (next(bytes[i])) {
				i++;
				position++;
			}
		}
		handler.endOfInput();
	}

	/** The document ended: throws unless it was complete. */
	void end() {
		if (state != State.DONE) {
			throw (position == 0) ? SubmitMessages.emptyBody() : SubmitMessages.malformedJson("it ends early");
		}
	}

	/** Handles one byte; false when the byte ended a literal and must be looked at again. */
	private boolean next(byte b) {
		switch (state) {
			case STRING -> stringByte(b);
			case LITERAL -> {
				if (Character.isLetterOrDigit(b) || b == '-' || b == '+' || b == '.') {
					if (literal.length() >= MAX_LITERAL) {
						throw unexpected(b);
					}
					literal.append((char) b);
					return true;
				}
				String token = literal.toString();
				if (!LITERAL.matcher(token).matches()) {
					throw SubmitMessages.malformedJson("'" + token + "' at byte " + position + " is not a value");
				}
				handler.literal(token);
				afterValue();
				return false;
			}
			default -> structural(b);
		}
		return true;
	}

	private void structural(byte b) {
		if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
			return;
		}
		switch (state) {
			case VALUE, VALUE_OR_END -> {
				if (b == ']' && state == State.VALUE_OR_END) {
					closeContainer(false);
				}
				else if (b == '{' || b == '[') {
					if (depth == objects.length) {
						throw SubmitMessages.malformedJson("it nests deeper than " + objects.length + " levels");
					}
					objects[depth++] = (b == '{');
					if (b == '{') {
						handler.startObject();
						state = State.KEY_OR_END;
					}
					else {
						handler.startArray();
						state = State.VALUE_OR_END;
					}
				}
				else if (b == '"') {
					startString(false, handler.startString());
				}
				else if (b == '-' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z')) {
					literal.setLength(0);
					literal.append((char) b);
					state = State.LITERAL;
				}
				else {
					throw unexpected(b);
				}
			}
			case KEY, KEY_OR_END -> {
				if (b == '}' && state == State.KEY_OR_END) {
					closeContainer(true);
				}
				else if (b == '"') {
					startString(true, StringMode.COLLECT);
				}
				else {
					throw unexpected(b);
				}
			}
			case COLON -> {
				if (b != ':') {
					throw unexpected(b);
				}
				state = State.VALUE;
			}
			case COMMA_OR_END -> {
				boolean object = objects[depth - 1];
				if (b == ',') {
					state = object ? State.KEY : State.VALUE;
				}
				else if ((b == '}' && object) || (b == ']' && !object)) {
					closeContainer(object);
				}
				else {
					throw unexpected(b);
				}
			}
			default -> throw unexpected(b); // DONE: only white space may follow
		}
	}

	private void closeContainer(boolean object) {
		depth--;
		if (object) {
			handler.endObject();
		}
		else {
			handler.endArray();
		}
		afterValue();
	}

	private void startString(boolean isKey, StringMode stringMode) {
		key = isKey;
		mode = stringMode;
		text.reset();
		state = State.STRING;
	}

	private void stringByte(byte b) {
		if (unicodeDigits > 0) {
			int digit = Character.digit(b, 16);
			if (digit < 0) {
				throw unexpected(b);
			}
			unicodeValue = unicodeValue * 16 + digit;
			if (--unicodeDigits == 0 && mode == StringMode.STREAM) {
				handler.streamedChar((char) unicodeValue);
			}
		}
		else if (escape) {
			escape = false;
			char c = switch (b) {
				case '"', '\\', '/' -> (char) b;
				case 'b' -> '\b';
				case 'f' -> '\f';
				case 'n' -> '\n';
				case 'r' -> '\r';
				case 't' -> '\t';
				case 'u' -> 'u';
				default -> throw unexpected(b);
			};
			if (c == 'u') {
				unicodeDigits = 4;
				unicodeValue = 0;
			}
			else if (mode == StringMode.STREAM) {
				handler.streamedChar(c);
			}
		}
		else if (b == '"') {
			endString();
			return;
		}
		else if ((b & 0xff) < 0x20) {
			throw unexpected(b);
		}
		else if (b == '\\') {
			escape = true;
		}
		else if (mode == StringMode.STREAM) {
			handler.streamed(new byte[] { b }, 0, 1);
		}
		if (mode == StringMode.COLLECT) {
			if (text.size() >= maxStringSize) {
				throw SubmitMessages.stringTooLong(maxStringSize);
			}
			text.write(b);
		}
	}

	private void endString() {
		if (key) {
			handler.key(collected());
			state = State.COLON;
			return;
		}
		switch (mode) {
			case COLLECT -> handler.string(collected());
			case STREAM -> handler.endStreamed();
			case SKIP -> {
			}
		}
		afterValue();
	}

	private void afterValue() {
		state = (depth == 0) ? State.DONE : State.COMMA_OR_END;
	}

	/** The collected string: UTF-8 checked, escapes resolved. */
	private String collected() {
		String raw;
		try {
			raw = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(text.toByteArray()))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw SubmitMessages.malformedJson("a string before byte " + position + " is not UTF-8");
		}
		if (raw.indexOf('\\') < 0) {
			return raw;
		}
		StringBuilder out = new StringBuilder(raw.length());
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c != '\\') {
				out.append(c);
				continue;
			}
			char e = raw.charAt(++i);
			switch (e) {
				case 'b' -> out.append('\b');
				case 'f' -> out.append('\f');
				case 'n' -> out.append('\n');
				case 'r' -> out.append('\r');
				case 't' -> out.append('\t');
				case 'u' -> {
					out.append((char) Integer.parseInt(raw, i + 1, i + 5, 16));
					i += 4;
				}
				default -> out.append(e);
			}
		}
		return out.toString();
	}

	private ApiProblem unexpected(byte b) {
		String shown = (b >= 0x21 && b < 0x7f) ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
		return SubmitMessages.malformedJson("unexpected " + shown + " at byte " + position);
	}

	/** Receives the document's tokens in order. May throw {@link ApiProblem} to reject it. */
	interface Handler {

		void startObject();

		void endObject();

		void startArray();

		void endArray();

		void key(String name);

		/** A string value begins; the answer decides what becomes of it. */
		StringMode startString();

		/** A collected string value. */
		void string(String value);

		/** Raw bytes of a streamed string value, without escapes (one or more calls). */
		void streamed(byte[] bytes, int from, int to);

		/** An escaped character of a streamed string value. */
		void streamedChar(char c);

		/** The end of a streamed string value. */
		void endStreamed();

		/** A number, {@code true}, {@code false} or {@code null}. */
		void literal(String token);

		/** The bytes fed so far are all scanned. */
		void endOfInput();

	}

}
