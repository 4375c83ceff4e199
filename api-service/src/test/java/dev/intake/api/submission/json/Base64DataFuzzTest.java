package dev.intake.api.submission.json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for the streamed Base64 decoder, fed in pieces of any size and compared with the
 * JDK's strict decoders: a value without a {@code data:} prefix is valid exactly when, its CRs and
 * LFs removed, the JDK's basic or URL-safe decoder decodes it, to the same bytes; the counted size
 * is the decoded size, and past the limit nothing more is kept. Seeds in {@code Base64DataFuzzTestInputs/decode/}.
 */
class Base64DataFuzzTest {

	@FuzzTest(maxDuration = "60s")
	@Timeout(10)
	void decode(FuzzedDataProvider data) {
		int piece = data.consumeInt(1, 64);
		long limit = data.consumeLong(0, 1 << 16);
		String text = new String(data.consumeRemainingAsBytes(), StandardCharsets.ISO_8859_1);
		byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
		Base64Data decoder = new Base64Data(limit);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (int from = 0; from < bytes.length; from += piece) {
			decoder.accept(bytes, from, Math.min(bytes.length, from + piece));
			drainInto(decoder, out);
		}
		boolean valid = decoder.finish();
		drainInto(decoder, out);
		if (text.toLowerCase(Locale.ROOT).startsWith("data:")) {
			return;
		}
		String withoutLineBreaks = text.replace("\r", "").replace("\n", "");
		byte[] expected = jdkDecoded(Base64.getDecoder(), withoutLineBreaks);
		if (expected == null) {
			expected = jdkDecoded(Base64.getUrlDecoder(), withoutLineBreaks);
		}
		if (expected == null || expected.length == 0) {
			assertThat(valid).as("accepted what the JDK refuses or decodes to nothing").isFalse();
			return;
		}
		assertThat(valid).as("refused what the JDK decodes").isTrue();
		assertThat(decoder.size()).isEqualTo(expected.length);
		if (!decoder.tooLarge()) {
			assertThat(out.toByteArray()).isEqualTo(expected);
		}
	}

	private static byte[] jdkDecoded(Base64.Decoder jdk, String text) {
		try {
			return jdk.decode(text);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static void drainInto(Base64Data decoder, ByteArrayOutputStream out) {
		byte[] decoded = decoder.drain();
		if (decoded != null) {
			out.writeBytes(decoded);
		}
	}

}
