package dev.intake.api.submission.json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Base64DataTest {

	@Test
	void decodesInPiecesLikeTheJdkDecoder() {
		byte[] bytes = random(10_001);
		String encoded = Base64.getEncoder().encodeToString(bytes);
		for (int piece : new int[] { 1, 3, 4, 7, 1000, encoded.length() }) {
			Decoded decoded = decode(encoded, piece, 1 << 20);
			assertThat(decoded.valid).isTrue();
			assertThat(decoded.bytes).isEqualTo(bytes);
			assertThat(decoded.data.size()).isEqualTo(bytes.length);
			assertThat(decoded.data.contentType()).isNull();
		}
	}

	@Test
	void acceptsMissingPaddingAndEveryRemainder() {
		for (int size = 1; size <= 6; size++) {
			byte[] bytes = random(size);
			String unpadded = Base64.getEncoder().withoutPadding().encodeToString(bytes);
			assertThat(decode(unpadded, 2, 100).bytes).isEqualTo(bytes);
			assertThat(decode(Base64.getEncoder().encodeToString(bytes), 2, 100).bytes).isEqualTo(bytes);
		}
	}

	@Test
	void readsADataUrlPrefix() {
		byte[] bytes = random(50);
		Decoded decoded = decode("data:image/png;base64," + Base64.getEncoder().encodeToString(bytes), 3, 100);
		assertThat(decoded.valid).isTrue();
		assertThat(decoded.bytes).isEqualTo(bytes);
		assertThat(decoded.data.contentType()).isEqualTo("image/png");
	}

	@Test
	void treatsBase64StartingLikeDataAsBase64() {
		byte[] bytes = Base64.getDecoder().decode("dataAAAA");
		assertThat(decode("dataAAAA", 1, 100).bytes).isEqualTo(bytes);
		assertThat(decode("dat", 1, 100).valid).isTrue();
	}

	@Test
	void rejectsWhatTheStrictDecoderRejects() {
		for (String bad : new String[] { "", "A", "AAAA=", "AA===", "AA=A", "AA!!", "AA AA", "AA\tAA", "AA\fAA",
				"data:image/png,AAAA", "data:image/png;base64", "\u00e9AAA", "\r\n", "A\nA\nA\nA\nA" }) {
			assertThat(decode(bad, 2, 100).valid).as(bad).isFalse();
		}
	}

	@Test
	void ignoresLineBreaksAsMimeAndCommonEncodersPlaceThem() {
		byte[] bytes = random(1000);
		String mime = Base64.getMimeEncoder().encodeToString(bytes); // CRLF every 76 characters
		String unix = mime.replace("\r\n", "\n") + "\n"; // as base64(1) and Python's encodebytes
		String pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(bytes);
		for (String wrapped : new String[] { mime, unix, pem, "data:image/png;base64,\r\n" + mime }) {
			for (int piece : new int[] { 1, 3, 77, wrapped.length() }) {
				Decoded decoded = decode(wrapped, piece, 1000);
				assertThat(decoded.valid).as("in pieces of " + piece).isTrue();
				assertThat(decoded.bytes).isEqualTo(bytes);
				assertThat(decoded.data.size()).isEqualTo(1000);
			}
		}
		assertThat(decode("QQ\n=\r=\n\n", 1, 10).bytes).isEqualTo(new byte[] { 'A' });
	}

	@Test
	void readsTheUrlSafeAlphabet() {
		byte[] bytes = random(3000);
		String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		assertThat(urlSafe).contains("-").contains("_");
		for (int piece : new int[] { 1, 5, 1000, urlSafe.length() }) {
			Decoded decoded = decode(urlSafe, piece, 1 << 20);
			assertThat(decoded.valid).isTrue();
			assertThat(decoded.bytes).isEqualTo(bytes);
		}
		assertThat(decode("-_-_", 1, 10).bytes).isEqualTo(Base64.getUrlDecoder().decode("-_-_"));
	}

	@Test
	void refusesBothAlphabetsInOneValue() {
		for (String mixed : new String[] { "+_AA", "-/AA", "AAAA+AAA-AAA", "AA_AAAAAAAA/" }) {
			for (int piece : new int[] { 1, 4, mixed.length() }) {
				assertThat(decode(mixed, piece, 100).valid).as(mixed).isFalse();
			}
		}
	}

	@Test
	void aBadCharacterOrPaddingAnywhereIsFoundWhateverThePieces() {
		String encoded = Base64.getEncoder().encodeToString(random(60));
		for (int at = 0; at < encoded.length(); at++) {
			for (String bad : new String[] { "!", "=", "\u00e9", "-" }) {
				String value = encoded.substring(0, at) + bad + encoded.substring(at + 1);
				byte[] jdk = decodedStrictly(value);
				for (int piece : new int[] { 1, 5, 8, 13, value.length() }) {
					Decoded decoded = decode(value, piece, 1000);
					assertThat(decoded.valid).as(value + " in pieces of " + piece).isEqualTo(jdk != null);
					if (jdk != null) {
						assertThat(decoded.bytes).isEqualTo(jdk);
					}
				}
			}
		}
	}

	@Test
	void stopsDecodingPastTheLimitButCountsTheRealSize() {
		byte[] bytes = random(3000);
		Decoded decoded = decode(Base64.getEncoder().encodeToString(bytes), 100, 1000);
		assertThat(decoded.valid).isTrue();
		assertThat(decoded.data.tooLarge()).isTrue();
		assertThat(decoded.data.size()).isEqualTo(3000);
		assertThat(decoded.bytes.length).isBetween(1001, 1003);
	}

	@Test
	void anImageOfExactlyTheLimitIsNotTooLarge() {
		byte[] bytes = random(1000);
		Decoded decoded = decode(Base64.getEncoder().encodeToString(bytes), 100, 1000);
		assertThat(decoded.data.tooLarge()).isFalse();
		assertThat(decoded.bytes).isEqualTo(bytes);
	}

	private static Decoded decode(String encoded, int piece, long limit) {
		Base64Data data = new Base64Data(limit);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] bytes = encoded.getBytes(StandardCharsets.ISO_8859_1);
		for (int i = 0; i < bytes.length; i += piece) {
			data.accept(bytes, i, Math.min(bytes.length, i + piece));
			byte[] chunk = data.drain();
			if (chunk != null) {
				out.writeBytes(chunk);
			}
		}
		boolean valid = data.finish();
		byte[] chunk = data.drain();
		if (chunk != null) {
			out.writeBytes(chunk);
		}
		return new Decoded(data, valid, out.toByteArray());
	}

	/** What the JDK's basic or else its URL-safe decoder makes of it; null when neither can. */
	private static byte[] decodedStrictly(String value) {
		for (Base64.Decoder jdk : new Base64.Decoder[] { Base64.getDecoder(), Base64.getUrlDecoder() }) {
			try {
				byte[] decoded = jdk.decode(value);
				return (decoded.length > 0) ? decoded : null;
			}
			catch (IllegalArgumentException ex) {
				// the other alphabet may still read it
			}
		}
		return null;
	}

	private static byte[] random(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	private record Decoded(Base64Data data, boolean valid, byte[] bytes) {
	}

}
