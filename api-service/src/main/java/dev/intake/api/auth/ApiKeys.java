package dev.intake.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.intake.contracts.BatchKey;

import org.springframework.security.core.GrantedAuthority;

/**
 * The configured API keys, held only as SHA-256 hashes. A presented key is hashed and compared
 * with every entry in constant time, without early exit, so neither which key matched nor how much
 * of it did shows in the time taken. Misconfigured entries stop the start-up.
 */
final class ApiKeys {

	static final String HASH_PREFIX = "sha256:";

	private static final Pattern HASH = Pattern.compile("sha256:[0-9a-fA-F]{64}");

	private final List<Entry> entries;

	ApiKeys(Map<String, SecurityProperties.ApiKey> configured) {
		List<Entry> list = new ArrayList<>();
		configured.forEach((name, key) -> {
			String where = "intake.security.api-keys." + name;
			if (key.hash() == null || key.hash().isBlank()) {
				return; // a key without a hash is switched off (e.g. an unset environment variable)
			}
			if (!HASH.matcher(key.hash().trim()).matches()) {
				throw new IllegalArgumentException(where + ".hash must be 'sha256:' and 64 hex digits");
			}
			if (key.tenant() == null || !BatchKey.TENANT.matcher(key.tenant()).matches()) {
				throw new IllegalArgumentException(
						where + ".tenant must be 1 to 64 letters, digits, '.', '_' or '-'");
			}
			for (String scope : key.scopes()) {
				if (!Scopes.isKnown(scope)) {
					throw new IllegalArgumentException(where + ".scopes: unknown scope '" + scope + "'");
				}
			}
			byte[] digest = HexFormat.of().parseHex(key.hash().trim().substring(HASH_PREFIX.length()).toLowerCase(Locale.ROOT));
			for (Entry other : list) {
				if (MessageDigest.isEqual(other.digest(), digest)) {
					throw new IllegalArgumentException(
							"intake.security.api-keys: '" + other.name() + "' and '" + name + "' have the same hash");
				}
			}
			list.add(new Entry(name, key.tenant(), digest, Set.copyOf(Scopes.authorities(key.scopes()))));
		});
		this.entries = List.copyOf(list);
	}

	int size() {
		return entries.size();
	}

	/** The verified credential this key is, if it is a configured one. */
	Optional<TenantAuthentication> authenticate(String presented) {
		byte[] digest = sha256(presented);
		Entry match = null;
		for (Entry entry : entries) {
			if (MessageDigest.isEqual(digest, entry.digest()) && match == null) {
				match = entry;
			}
		}
		return Optional.ofNullable(match)
			.map(entry -> new TenantAuthentication(entry.tenant(), "api-key " + entry.name(), entry.scopes()));
	}

	/** {@code sha256:<hex>} of a key, the form configured in {@code intake.security.api-keys.*.hash}. */
	static String hash(String key) {
		return HASH_PREFIX + HexFormat.of().formatHex(sha256(key));
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Entry(String name, String tenant, byte[] digest, Set<GrantedAuthority> scopes) {
	}

}
