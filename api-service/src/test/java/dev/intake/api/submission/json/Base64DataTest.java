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
		for (String bad : new String[] { "", "A", "AAAA=", "AA===", "AA=A", "AA!!", "AA AA", "AA\nAA", "-_-_",
				"data:image/png,AAAA", "data:image/png;base64", "\u00e9AAA" }) {
			assertThat(decode(bad, 2, 100).valid).as(bad).isFalse();
		}
	}

	@Test
	void aBadCharacterOrPaddingAnywhereIsFoundWhateverThePieces() {
		String encoded = Base64.getEncoder().encodeToString(random(60));
		for (int at = 0; at < encoded.length(); at++) {
			for (String bad : new String[] { "!", "=", "\u00e9", "-" }) {
				String value = encoded.substring(0, at) + bad + encoded.substring(at + 1);
				boolean jdk = decodesStrictly(value);
				for (int piece : new int[] { 1, 5, 8, 13, value.length() }) {
					Decoded decoded = decode(value, piece, 1000);
					assertThat(decoded.valid).as(value + " in pieces of " + piece).isEqualTo(jdk);
					if (jdk) {
						assertThat(decoded.bytes).isEqualTo(Base64.getDecoder().decode(value));
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

	private static boolean decodesStrictly(String value) {
		try {
			return Base64.getDecoder().decode(value).length > 0;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static byte[] random(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	private record Decoded(Base64Data data, boolean valid, byte[] bytes) {
	}

}
