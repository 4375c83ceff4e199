package dev.intake.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the API is and the credential for it, the options every command that talks to Intake
 * shares. Each value comes from the first of: the flag, the environment ({@code INTAKE_URL},
 * {@code INTAKE_TOKEN}), the config file ({@code url=}, {@code token=}); the URL defaults to
 * {@code http://127.0.0.1:8080}, the embedded default's. The config file is {@code --config},
 * else {@code INTAKE_CONFIG}, else {@code $XDG_CONFIG_HOME/intake/config.properties}, else
 * {@code ~/.config/intake/config.properties}; only an explicitly named one must exist.
 * <p>
 * The root command has these options too, as its help says, so they may come before the command
 * ({@code intake --url URL status ID}) as well as after it; a flag after the command wins. Not
 * picocli's inherited options: those would also be offered by the offline {@code keys} commands.
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

	/** The command this is a mixin of; null when made by hand. */
	@Spec(Spec.Target.MIXEE)
	CommandSpec command;

	/** The settings as resolved against the process environment. */
	public Target resolve() {
		return resolve(System.getenv(), Path.of(System.getProperty("user.home")));
	}

	Target resolve(Map<String, String> env, Path home) {
		Connection flags = withEnclosingFlags();
		Properties file = flags.readConfig(env, home);
		String base = first(flags.url, env.get("INTAKE_URL"), file.getProperty("url"), DEFAULT_URL);
		String credential = first(flags.token, env.get("INTAKE_TOKEN"), file.getProperty("token"), null);
		if (credential == null) {
			throw new CliException(Exit.USAGE,
					"No API token: pass --token, set INTAKE_TOKEN, or put token=... in " + flags.configPath(env, home));
		}
		return new Target(normalize(base), credential.strip());
	}

	/**
	 * These flags, each one not given here taken from the nearest enclosing command that has it
	 * ({@code intake --token T status ID}: the root's).
	 */
	Connection withEnclosingFlags() {
		Connection flags = new Connection();
		flags.url = url;
		flags.token = token;
		flags.config = config;
		for (CommandSpec outer = (command != null) ? command.parent() : null; outer != null; outer = outer.parent()) {
			for (CommandSpec mixin : outer.mixins().values()) {
				if (mixin.userObject() instanceof Connection enclosing) {
					flags.url = (flags.url != null) ? flags.url : enclosing.url;
					flags.token = (flags.token != null) ? flags.token : enclosing.token;
					flags.config = (flags.config != null) ? flags.config : enclosing.config;
				}
			}
		}
		return flags;
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
