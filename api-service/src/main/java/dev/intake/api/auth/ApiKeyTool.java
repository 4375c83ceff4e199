package dev.intake.api.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Operator tool: {@code new <name> <tenant>} prints a fresh random API key (256 bits) once, with
 * the settings that enable it (hash only); {@code hash} reads a key from standard input and
 * prints its hash. Run it from the api-service jar (see the README); nothing is stored by it.
 */
public final class ApiKeyTool {

	private static final int KEY_BYTES = 32;

	private ApiKeyTool() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length == 3 && "new".equals(args[0])) {
			String key = newKey(new SecureRandom());
			String env = args[1].toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "");
			System.out.println("API key (shown once, give it to the client): " + key);
			System.out.println("Settings for the api-service:");
			System.out.println("  intake.security.api-keys." + args[1] + ".tenant=" + args[2]);
			System.out.println("  intake.security.api-keys." + args[1] + ".hash=" + ApiKeys.hash(key));
			System.out.println("  intake.security.api-keys." + args[1] + ".scopes=images:read,images:write");
			System.out.println("or as environment variables: INTAKE_SECURITY_APIKEYS_" + env + "_TENANT, _HASH, _SCOPES");
			return;
		}
		if (args.length == 1 && "hash".equals(args[0])) {
			BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			String key = in.readLine();
			if (key == null || key.isBlank()) {
				System.err.println("No key on standard input");
				System.exit(2);
			}
			System.out.println(ApiKeys.hash(key.strip()));
			return;
		}
		System.err.println("Usage: ApiKeyTool new <key-name> <tenant>   |   ApiKeyTool hash  (key on stdin)");
		System.exit(2);
	}

	/** {@code sha256:<hex>} of a key, as {@code intake.security.api-keys.<name>.hash} wants it. */
	public static String hashOf(String key) {
		return ApiKeys.hash(key);
	}

	/** A new random key: {@code ik_} and 43 Base64url characters. */
	public static String newKey(SecureRandom random) {
		byte[] bytes = new byte[KEY_BYTES];
		random.nextBytes(bytes);
		return "ik_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
