package dev.intake.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the embedded default keeps its data and which loopback ports it uses. Read from
 * environment variables by {@link #fromEnvironment}; tests (here and in other modules) build their own
 * with free ports.
 */
public record LocalSettings(Path dataDir, String apiToken, int apiPort, int statusPort, int workerPort, int kafkaPort,
		int kafkaControllerPort, int s3Port) {

	static final String DEFAULT_TOKEN = "local-dev-token";

	static LocalSettings fromEnvironment(Map<String, String> env) {
		return new LocalSettings(Path.of(env.getOrDefault("INTAKE_DATA_DIR", "data")).toAbsolutePath().normalize(),
				nonBlank(env.get("INTAKE_API_TOKEN"), DEFAULT_TOKEN), port(env, "INTAKE_PORT", 8080),
				port(env, "INTAKE_STATUS_PORT", 8081), port(env, "INTAKE_WORKER_PORT", 8082),
				port(env, "INTAKE_KAFKA_PORT", 19092), port(env, "INTAKE_KAFKA_CONTROLLER_PORT", 19093),
				port(env, "INTAKE_S3_PORT", 19000));
	}

	/** The API's base URL, {@code http://127.0.0.1:<apiPort>/v1}. */
	public String baseUrl() {
		return "http://127.0.0.1:" + apiPort + "/v1";
	}

	private static int port(Map<String, String> env, String name, int fallback) {
		String value = env.get(name);
		if (value == null || value.isBlank()) {
			return fallback;
		}
		try {
			int port = Integer.parseInt(value.trim());
			if (port < 1 || port > 65535) {
				throw new NumberFormatException();
			}
			return port;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be a port number (1-65535), not '" + value + "'");
		}
	}

	private static String nonBlank(String value, String fallback) {
		return (value == null || value.isBlank()) ? fallback : value;
	}

}
