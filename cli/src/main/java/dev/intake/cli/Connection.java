package dev.intake.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import picocli.CommandLine.Option;

/**
 * Where the API is and the credential for it, the options every command that talks to Intake
 * shares. Each value comes from the first of: the flag, the environment ({@code INTAKE_URL},
 * {@code INTAKE_TOKEN}), the config file ({@code url=}, {@code token=}); the URL defaults to
 * {@code http://127.0.0.1:8080}, the embedded default's. The config file is {@code --config},
 * else {@code INTAKE_CONFIG}, else {@code $XDG_CONFIG_HOME/intake/config.properties}, else
 * {@code ~/.config/intake/config.properties}; only an explicitly named one must exist.
 */
public final class Connection {

	static final String DEFAULT_URL = "http://127.0.0.1:8080";

	@Option(names = "--url", paramLabel = "URL",
			description = "Intake's base URL (env INTAKE_URL, config 'url'; default " + DEFAULT_URL + ")")
	String url;

	@Option(names = "--token", paramLabel = "TOKEN",
			description = "API key or JWT (env INTAKE_TOKEN, config 'token')")
	String token;

	@Option(names = "--config", paramLabel = "FILE",
			description = "config file (env INTAKE_CONFIG; default ~/.config/intake/config.properties)")
	Path config;

	/** The settings as resolved against the process environment. */
	public Target resolve() {
		return resolve(System.getenv(), Path.of(System.getProperty("user.home")));
	}

	Target resolve(Map<String, String> env, Path home) {
		Properties file = readConfig(env, home);
		String base = first(url, env.get("INTAKE_URL"), file.getProperty("url"), DEFAULT_URL);
		String credential = first(token, env.get("INTAKE_TOKEN"), file.getProperty("token"), null);
		if (credential == null) {
			throw new CliException(Exit.USAGE,
					"No API token: pass --token, set INTAKE_TOKEN, or put token=... in " + configPath(env, home));
		}
		return new Target(normalize(base), credential.strip());
	}

	private Properties readConfig(Map<String, String> env, Path home) {
		Path path = configPath(env, home);
		boolean explicit = config != null || nonBlank(env.get("INTAKE_CONFIG"));
		Properties properties = new Properties();
		if (!Files.isRegularFile(path)) {
			if (explicit) {
				throw new CliException(Exit.USAGE, "Config file " + path + " does not exist");
			}
			return properties;
		}
		try (InputStream in = Files.newInputStream(path)) {
			properties.load(in);
		}
		catch (IOException | IllegalArgumentException ex) {
			throw new CliException(Exit.USAGE, "Config file " + path + " cannot be read: " + ex.getMessage());
		}
		return properties;
	}

	Path configPath(Map<String, String> env, Path home) {
		if (config != null) {
			return config;
		}
		if (nonBlank(env.get("INTAKE_CONFIG"))) {
			return Path.of(env.get("INTAKE_CONFIG"));
		}
		Path base = nonBlank(env.get("XDG_CONFIG_HOME")) ? Path.of(env.get("XDG_CONFIG_HOME")) : home.resolve(".config");
		return base.resolve("intake").resolve("config.properties");
	}

	/** {@code http://host:port}, with a trailing {@code /} or {@code /v1} taken off. */
	static String normalize(String url) {
		String base = url.strip();
		while (base.endsWith("/")) {
			base = base.substring(0, base.length() - 1);
		}
		if (base.endsWith("/v1")) {
			base = base.substring(0, base.length() - 3);
		}
		if (!base.startsWith("http://") && !base.startsWith("https://")) {
			throw new CliException(Exit.USAGE, "The URL must start with http:// or https://, not '" + url + "'");
		}
		return base;
	}

	private static String first(String... values) {
		for (String value : values) {
			if (nonBlank(value)) {
				return value;
			}
		}
		return null;
	}

	private static boolean nonBlank(String value) {
		return value != null && !value.isBlank();
	}

	/** A resolved base URL (no trailing slash, no {@code /v1}) and token. */
	public record Target(String baseUrl, String token) {

		public ApiClient client() {
			return new ApiClient(baseUrl, token);
		}

	}

}
