package dev.intake.cli.keys;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import dev.intake.cli.CliException;
import dev.intake.cli.Exit;
import dev.intake.contracts.ApiScopes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code intake keys create NAME TENANT} and {@code intake keys hash}: API keys for the
 * api-service's {@code intake.security.api-keys.*} settings. Offline; nothing is stored. A key is
 * {@code ik_} and 43 Base64url characters (256 random bits); the service holds only
 * {@code sha256:<hex>} of it. The scopes offered are the api-service's own ({@link ApiScopes}), so a
 * key made here never stops the service's start-up with an unknown scope.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Make API keys (offline).",
		subcommands = { KeysCommand.Create.class, KeysCommand.Hash.class })
public final class KeysCommand {

	static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	/** What a key may do unless {@code --scopes} says otherwise: read and write images. */
	static final List<String> DEFAULT_SCOPES = List.of(ApiScopes.READ, ApiScopes.WRITE);

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

		@Option(names = "--scopes", split = ",", paramLabel = "SCOPE", completionCandidates = KnownScopes.class,
				description = { "what the key may do, comma-separated:", "${COMPLETION-CANDIDATES}",
						"(images is images:read and images:write)", "default: images:read,images:write" })
		List<String> scopes = DEFAULT_SCOPES;

		@Spec
		CommandSpec spec;

		@Override
		public Integer call() {
			if (!NAME.matcher(name).matches()) {
				throw new CliException(Exit.USAGE, "NAME must be 1 to 64 letters, digits, '_' or '-'");
			}
			if (!TENANT.matcher(tenant).matches()) {
				throw new CliException(Exit.USAGE, "TENANT must be 1 to 64 letters, digits, '.', '_' or '-'");
			}
			for (String scope : scopes) {
				if (!ApiScopes.isKnown(scope)) {
					throw new CliException(Exit.USAGE,
							"Unknown scope '" + scope + "'; known: " + String.join(", ", ApiScopes.NAMES));
				}
			}
			String key = newKey(new SecureRandom());
			String env = name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
			PrintWriter out = spec.commandLine().getOut();
			out.println("API key (shown once, give it to the client): " + key);
			out.println("Settings for the api-service:");
			out.println("  intake.security.api-keys." + name + ".tenant=" + tenant);
			out.println("  intake.security.api-keys." + name + ".hash=" + hashOf(key));
			out.println("  intake.security.api-keys." + name + ".scopes=" + String.join(",", scopes));
			out.println("or as environment variables: INTAKE_SECURITY_APIKEYS_" + env + "_TENANT, _HASH, _SCOPES");
			out.flush();
			return Exit.OK;
		}

	}

	/** The scope names {@code --scopes} takes, for its help and shell completion. */
	static final class KnownScopes implements Iterable<String> {

		@Override
		public Iterator<String> iterator() {
			return ApiScopes.NAMES.iterator();
		}

	}

	@Command(name = "hash", mixinStandardHelpOptions = true,
			description = "Read a key from standard input and print its hash for the settings.")
	static final class Hash implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Override
		public Integer call() throws IOException {
			String key = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
			if (key == null || key.isBlank()) {
				throw new CliException(Exit.USAGE, "No key on standard input");
			}
			spec.commandLine().getOut().println(hashOf(key.strip()));
			return Exit.OK;
		}

	}

}
