package dev.intake.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the embedded default keeps its data and which loopback ports it uses. Read from
 * environment variables by {@link #fromEnvironment}; tests (here and in other modules) build their own
 * with free ports.
 *
 * @param s3MetricsPort where the S3 server publishes the count of requests it received by S3
 * operation (plain text at {@code /s3-requests}), or 0 for none
 */
public record LocalSettings(Path dataDir, String apiToken, int apiPort, int statusPort, int workerPort, int kafkaPort,
		int kafkaControllerPort, int s3Port, int s3MetricsPort) {

	/** Settings without S3 request metrics. */
	public LocalSettings(Path dataDir, String apiToken, int apiPort, int statusPort, int workerPort, int kafkaPort,
			int kafkaControllerPort, int s3Port) {
		this(dataDir, apiToken, apiPort, statusPort, workerPort, kafkaPort, kafkaControllerPort, s3Port, 0);
	}

	static final String DEFAULT_TOKEN = "local-dev-token";

	static LocalSettings fromEnvironment(Map<String, String> env) {
		return new LocalSettings(Path.of(env.getOrDefault("INTAKE_DATA_DIR", "data")).toAbsolutePath().normalize(),
				nonBlank(env.get("INTAKE_API_TOKEN"), DEFAULT_TOKEN), port(env, "INTAKE_PORT", 8080),
				port(env, "INTAKE_STATUS_PORT", 8081), port(env, "INTAKE_WORKER_PORT", 8082),
				port(env, "INTAKE_KAFKA_PORT", 19092), port(env, "INTAKE_KAFKA_CONTROLLER_PORT", 19093),
				port(env, "INTAKE_S3_PORT", 19000), optionalPort(env, "INTAKE_S3_METRICS_PORT"));
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

	/** A port, or 0 when the variable is not set. */
	private static int optionalPort(Map<String, String> env, String name) {
		String value = env.get(name);
		return (value == null || value.isBlank()) ? 0 : port(env, name, 0);
	}

	private static String nonBlank(String value, String fallback) {
		return (value == null || value.isBlank()) ? fallback : value;
	}

}
