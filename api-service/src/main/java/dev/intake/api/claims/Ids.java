package dev.intake.api.claims;

import java.security.SecureRandom;

/** Server-made random ids: lowercase letters and digits, unguessable. */
public final class Ids {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

	private Ids() {
	}

	/** A batch id for clients that sent none (16 characters, about 82 random bits). */
	static String batchId() {
		return random(16);
	}

	/** The id of one upload request, naming its staging folder. */
	public static String uploadId() {
		return random(24);
	}

	private static String random(int length) {
		char[] chars = new char[length];
		for (int i = 0; i < length; i++) {
			chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
		}
		return new String(chars);
	}

}
