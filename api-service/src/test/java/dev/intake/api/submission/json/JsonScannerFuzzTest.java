package dev.intake.api.submission.json;

import java.util.ArrayDeque;
import java.util.Deque;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.intake.api.error.ApiProblem;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for the streaming JSON scanner of the submit request, fed in pieces of any size:
 * it accepts the document or rejects it with an {@link ApiProblem}; containers the handler sees
 * always nest properly, collected strings respect the size bound and streamed pieces lie inside
 * the fed bytes. Anything else (another exception, a hang, unbounded memory) is a finding. Seeds
 * in {@code JsonScannerFuzzTestInputs/scan/}.
 */
class JsonScannerFuzzTest {

	private static final JsonScanner.StringMode[] MODES = JsonScanner.StringMode.values();

	@FuzzTest(maxDuration = "60s")
	@Timeout(10)
	void scan(FuzzedDataProvider data) {
		int maxDepth = data.consumeInt(1, 64);
		int maxString = data.consumeInt(1, 4096);
		int piece = data.consumeInt(1, 64);
		int modeSeed = data.consumeInt(0, 2);
		byte[] body = data.consumeRemainingAsBytes();
		Checking handler = new Checking(maxString, modeSeed, body.length);
		JsonScanner scanner = new JsonScanner(handler, maxDepth, maxString);
		try {
			for (int from = 0; from < body.length; from += piece) {
				scanner.feed(body, from, Math.min(piece, body.length - from));
			}
			scanner.end();
			assertThat(handler.open).isEmpty();
		}
		catch (ApiProblem rejected) {
			assertThat(rejected.getMessage()).isNotBlank();
		}
		assertThat(handler.open.size()).isLessThanOrEqualTo(maxDepth);
	}

	/** Checks what the scanner reports as it goes. */
	private static final class Checking implements JsonScanner.Handler {

		private final int maxString;

		private final int bodyLength;

		private int modes;

		private final Deque<Character> open = new ArrayDeque<>();

		Checking(int maxString, int modeSeed, int bodyLength) {
			this.maxString = maxString;
			this.modes = modeSeed;
			this.bodyLength = bodyLength;
		}

		@Override
		public void startObject() {
			open.push('{');
		}

		@Override
		public void endObject() {
			assertThat(open.pop()).isEqualTo('{');
		}

		@Override
		public void startArray() {
			open.push('[');
		}

		@Override
		public void endArray() {
			assertThat(open.pop()).isEqualTo('[');
		}

		@Override
		public void key(String name) {
			assertThat(open.peek()).isEqualTo('{');
			assertThat(name.length()).isLessThanOrEqualTo(maxString);
		}

		@Override
		public JsonScanner.StringMode startString() {
			return MODES[modes++ % MODES.length];
		}

		@Override
		public void string(String value) {
			assertThat(value.length()).isLessThanOrEqualTo(maxString);
		}

		@Override
		public void streamed(byte[] bytes, int from, int to) {
			assertThat(from).isBetween(0, to);
			assertThat(to).isLessThanOrEqualTo(Math.min(bytes.length, bodyLength));
		}

		@Override
		public void streamedChar(char c) {
		}

		@Override
		public void endStreamed() {
		}

		@Override
		public void literal(String token) {
			assertThat(token).matches("true|false|null|-?[0-9][0-9.eE+-]*");
		}

		@Override
		public void endOfInput() {
		}

	}

}
