package dev.intake.api.claims;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.intake.api.error.ApiProblem;

/**
 * The {@code Idempotency-Key} request header of a submit: any 1 to 255 visible ASCII characters the
 * client chooses per logical request and sends again, unchanged, when it retries. Only its SHA-256
 * is ever stored. Without a {@code batch_id}, the key also decides the batch id, so a retry lands
 * on the batch its first attempt created.
 */
public record IdempotencyKey(String hash) {

	public static final String HEADER = "Idempotency-Key";

	static final int MAX_LENGTH = 255;

	private static final int DERIVED_BATCH_ID_LENGTH = 24;

	static final IdempotencyKey NONE = new IdempotencyKey(null);

	/** The key a request sent, {@link #NONE} when it sent none; a malformed key is a 400. */
	public static IdempotencyKey of(String header) {
		if (header == null) {
			return NONE;
		}
		if (header.isEmpty() || header.length() > MAX_LENGTH || !header.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
			throw ApiProblem.badRequest("The Idempotency-Key header must be 1 to " + MAX_LENGTH
					+ " visible ASCII characters.");
		}
		return new IdempotencyKey(sha256(header));
	}

	boolean isPresent() {
		return hash != null;
	}

	/** The batch id of a request that named none: random, or made from the key when there is one. */
	public String defaultBatchId() {
		return isPresent() ? hash.substring(0, DERIVED_BATCH_ID_LENGTH) : Ids.batchId();
	}

	private static String sha256(String value) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
