package dev.intake.cli.keys;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import dev.intake.cli.CliException;
import dev.intake.cli.Exit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code intake keys create NAME TENANT} and {@code intake keys hash}: API keys for the
 * api-service's {@code intake.security.api-keys.*} settings. Offline; nothing is stored. A key is
 * {@code ik_} and 43 Base64url characters (256 random bits); the service holds only
 * {@code sha256:<hex>} of it.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Make API keys (offline).",
		subcommands = { KeysCommand.Create.class, KeysCommand.Hash.class })
public final class KeysCommand {

	static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	static final List<String> SCOPES = List.of("images:read", "images:write");

	/** A new random key: {@code ik_} and 43 Base64url characters. */
	static String newKey(SecureRandom random) {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return "ik_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** {@code sha256:<hex>} of the key's UTF-8 bytes, as {@code intake.security.api-keys.<name>.hash} wants it. */
	static String hashOf(String key) {
		try {
			return "sha256:" + HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Command(name = "create", mixinStandardHelpOptions = true,
			description = { "Print a new API key (once) and the api-service settings that enable it.",
					"Only the key's hash goes into the settings." })
	static final class Create implements Callable<Integer> {

		@Parameters(index = "0", paramLabel = "NAME", description = "the key's name in the settings (letters, digits, '_', '-')")
		String name;

		@Parameters(index = "1", paramLabel = "TENANT", description = "the tenant the key acts for")
		String tenant;

		@Option(names = "--scopes", split = ",", paramLabel = "SCOPE",
				description = "images:read, images:write (default: both)")
		List<String> scopes = SCOPES;

		@Override
		public Integer call() {
			if (!NAME.matcher(name).matches()) {
				throw new CliException(Exit.USAGE, "NAME must be 1 to 64 letters, digits, '_' or '-'");
			}
			if (!TENANT.matcher(tenant).matches()) {
				throw new CliException(Exit.USAGE, "TENANT must be 1 to 64 letters, digits, '.', '_' or '-'");
			}
			for (String scope : scopes) {
				if (!SCOPES.contains(scope)) {
					throw new CliException(Exit.USAGE, "Unknown scope '" + scope + "'; known: " + SCOPES);
				}
			}
			String key = newKey(new SecureRandom());
			String env = name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
			System.out.println("API key (shown once, give it to the client): " + key);
			System.out.println("Settings for the api-service:");
			System.out.println("  intake.security.api-keys." + name + ".tenant=" + tenant);
			System.out.println("  intake.security.api-keys." + name + ".hash=" + hashOf(key));
			System.out.println("  intake.security.api-keys." + name + ".scopes=" + String.join(",", scopes));
			System.out.println("or as environment variables: INTAKE_SECURITY_APIKEYS_" + env + "_TENANT, _HASH, _SCOPES");
			return Exit.OK;
		}

	}

	@Command(name = "hash", mixinStandardHelpOptions = true,
			description = "Read a key from standard input and print its hash for the settings.")
	static final class Hash implements Callable<Integer> {

		@Override
		public Integer call() throws IOException {
			String key = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
			if (key == null || key.isBlank()) {
				throw new CliException(Exit.USAGE, "No key on standard input");
			}
			System.out.println(hashOf(key.strip()));
			return Exit.OK;
		}

	}

}
