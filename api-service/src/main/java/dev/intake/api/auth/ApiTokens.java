package dev.intake.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.intake.contracts.BatchKey;

/**
 * The configured API tokens, one per tenant. A presented token is compared with every configured
 * one in constant time (over SHA-256 digests, so lengths leak nothing). Blank tokens are ignored.
 */
final class ApiTokens {

	private final List<Entry> entries;

	ApiTokens(Map<String, String> tokensByTenant) {
		List<Entry> list = new ArrayList<>();
		tokensByTenant.forEach((tenant, token) -> {
			if (token == null || token.isBlank()) {
				return;
			}
			if (!BatchKey.TENANT.matcher(tenant).matches()) {
				throw new IllegalArgumentException("intake.auth.tokens: '" + tenant
						+ "' is not a valid tenant id (1 to 64 letters, digits, '.', '_' or '-')");
			}
			byte[] digest = sha256(token);
			for (Entry other : list) {
				if (Arrays.equals(other.digest(), digest)) {
					throw new IllegalArgumentException(
							"intake.auth.tokens: tenants '" + other.tenant() + "' and '" + tenant + "' share a token");
				}
			}
			list.add(new Entry(tenant, digest));
		});
		this.entries = List.copyOf(list);
	}

	boolean isEmpty() {
		return entries.isEmpty();
	}

	/** The tenant whose token this is, if any. */
	Optional<String> tenantFor(String presented) {
		byte[] digest = sha256(presented);
		String match = null;
		// no early exit: the time taken does not depend on which entry matches
		for (Entry entry : entries) {
			if (MessageDigest.isEqual(digest, entry.digest()) && match == null) {
				match = entry.tenant();
			}
		}
		return Optional.ofNullable(match);
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Entry(String tenant, byte[] digest) {
	}

}
