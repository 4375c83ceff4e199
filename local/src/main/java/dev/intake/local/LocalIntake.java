package dev.intake.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.intake.api.ApiServiceApplication;
import dev.intake.api.auth.ApiKeyTool;
import dev.intake.status.StatusServiceApplication;
import dev.intake.worker.WorkerServiceApplication;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole of Intake in one JVM: a real Kafka broker, a real S3 server, then the status, worker
 * and api services, each in its own Spring context configured exactly as when deployed alone.
 * {@link #close()} stops them in reverse order.
 */
public final class LocalIntake implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LocalIntake.class);

	static final String BUCKET = "intake";

	static final String TENANT = "local";

	/**
	 * The api-service brings Spring Security onto the classpath of this one JVM; the status and
	 * worker services do not use it (deployed alone they do not have it), so its defaults (HTTP
	 * Basic with a generated password on every route) are kept out of their contexts.
	 */
	private static final String NO_SPRING_SECURITY = "--spring.autoconfigure.exclude="
			+ "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration";

	private final LocalSettings settings;

	private final List<AutoCloseable> started = new ArrayList<>();

	private final Map<String, ConfigurableApplicationContext> services = new LinkedHashMap<>();

	private String kafkaBootstrapServers;

	private Backends.S3 s3;

	private final List<String> overrides;

	private LocalIntake(LocalSettings settings, String... overrides) {
		this.settings = settings;
		this.overrides = List.of(overrides);
	}

	/**
	 * Starts a broker, an S3 server and the services; returns once every service is ready.
	 * {@code overrides} are passed to every service after the launcher's own settings.
	 */
	public static LocalIntake start(LocalSettings settings, String... overrides) throws Exception {
		LocalIntake intake = new LocalIntake(settings, overrides);
		try {
			long begin = System.nanoTime();
			LocalKafkaBroker kafka = LocalKafkaBroker.start(settings.dataDir(), settings.kafkaPort(),
					settings.kafkaControllerPort());
			intake.started.add(kafka);
			LocalS3Server s3 = LocalS3Server.start(settings.dataDir(), settings.s3Port(), settings.s3MetricsPort());
			intake.started.add(s3);
			logger.info("Kafka at " + kafka.bootstrapServers() + ", S3 at " + s3.endpoint() + " ("
					+ Duration.ofNanos(System.nanoTime() - begin).toMillis() + " ms)");
			intake.startServices(kafka.bootstrapServers(),
					new Backends.S3(s3.endpoint(), LocalS3Server.ACCESS_KEY, LocalS3Server.SECRET_KEY));
			return intake;
		}
		catch (Exception | Error ex) {
			intake.close();
			throw ex;
		}
	}

	/** Starts only the services, against a Kafka and an S3 that run elsewhere. */
	static LocalIntake startServices(LocalSettings settings, String kafkaBootstrapServers, Backends.S3 s3)
			throws Exception {
		LocalIntake intake = new LocalIntake(settings);
		try {
			intake.startServices(kafkaBootstrapServers, s3);
			return intake;
		}
		catch (Exception | Error ex) {
			intake.close();
			throw ex;
		}
	}

	/**
	 * Starts one part of Intake, so that each part can run as its own process (the benchmark
	 * measures the memory of each service this way): {@code backends} (the broker and the S3
	 * server), or {@code status}, {@code worker} or {@code api} against backends already running
	 * on the settings' ports. The status, worker and api parts must share {@code internalToken}.
	 */
	static LocalIntake startPart(LocalSettings settings, String part, String internalToken, String... overrides)
			throws Exception {
		LocalIntake intake = new LocalIntake(settings, overrides);
		try {
			if ("backends".equals(part)) {
				intake.started.add(LocalKafkaBroker.start(settings.dataDir(), settings.kafkaPort(),
						settings.kafkaControllerPort()));
				intake.started.add(LocalS3Server.start(settings.dataDir(), settings.s3Port(), settings.s3MetricsPort()));
				return intake;
			}
			intake.kafkaBootstrapServers = "127.0.0.1:" + settings.kafkaPort();
			intake.s3 = new Backends.S3("http://127.0.0.1:" + settings.s3Port(), LocalS3Server.ACCESS_KEY,
					LocalS3Server.SECRET_KEY);
			switch (part) {
				case "status" -> {
					intake.startStatus(internalToken);
					intake.awaitReady();
				}
				case "worker" -> {
					intake.startWorker(internalToken);
					intake.awaitReady();
				}
				case "api" -> {
					intake.startApi(internalToken);
					intake.awaitReady();
				}
				default -> throw new IllegalArgumentException(
						"INTAKE_PART must be backends, status, worker or api, not '" + part + "'");
			}
			return intake;
		}
		catch (Exception | Error ex) {
			intake.close();
			throw ex;
		}
	}

	private void startServices(String kafkaBootstrapServers, Backends.S3 s3) throws Exception {
		this.kafkaBootstrapServers = kafkaBootstrapServers;
		this.s3 = s3;
		long begin = System.nanoTime();

		// the shared credential of the status-service's internal API, new for every launch
		String internalToken = ApiKeyTool.newKey(new SecureRandom());
		startStatus(internalToken);
		startWorker(internalToken);
		startApi(internalToken);

		awaitReady();
		logger.info("Intake ready in " + Duration.ofNanos(System.nanoTime() - begin).toMillis() + " ms");
	}

	private void startStatus(String internalToken) {
		run("status-service", StatusServiceApplication.application(), settings.statusPort(),
				"--intake.internal.token=" + internalToken, NO_SPRING_SECURITY,
				"--spring.kafka.streams.state-dir=" + settings.dataDir().resolve("streams"),
				"--intake.status.advertised-host=127.0.0.1",
				"--intake.images.public-base-url=http://127.0.0.1:" + settings.apiPort() + "/i/");
	}

	private void startWorker(String internalToken) {
		// the sweeper asks the status-service which old uploads the content index keeps
		run("worker-service", WorkerServiceApplication.application(), settings.workerPort(),
				"--intake.worker.temp-dir=" + settings.dataDir().resolve("tmp"), NO_SPRING_SECURITY,
				"--intake.status-service.base-url=http://127.0.0.1:" + settings.statusPort(),
				"--intake.internal.token=" + internalToken);
	}

	private void startApi(String internalToken) {
		run("api-service", ApiServiceApplication.application(), settings.apiPort(),
				"--intake.status-service.base-url=http://127.0.0.1:" + settings.statusPort(),
				"--intake.internal.token=" + internalToken,
				"--intake.security.api-keys." + TENANT + ".tenant=" + TENANT,
				"--intake.security.api-keys." + TENANT + ".hash=" + ApiKeyTool.hashOf(settings.apiToken()),
				// the embedded default's key may do everything, webhook subscriptions included
				"--intake.security.api-keys." + TENANT + ".scopes=images:read,images:write,webhooks:manage");
	}

	private void run(String name, SpringApplication app, int port, String... own) {
		// one shutdown hook (ours) stops the services before the broker and S3 they depend on
		app.setRegisterShutdownHook(false);
		List<String> args = new ArrayList<>(List.of("--server.address=127.0.0.1", "--server.port=" + port,
				// health and metrics on a port of each service's own, chosen free; see managementPort
				"--management.server.address=127.0.0.1", "--management.server.port=0",
				// Boot would announce each service as "Starting IntakeLocal"; we say which one started
				"--spring.main.banner-mode=off", "--spring.main.log-startup-info=false",
				// one JVM, one logging system: the logger name (dev.intake.api/worker/status) says which service
				"--logging.include-application-name=false", "--spring.kafka.bootstrap-servers=" + kafkaBootstrapServers,
				"--intake.s3.endpoint=" + s3.endpoint(), "--intake.s3.access-key=" + s3.accessKey(),
				"--intake.s3.secret-key=" + s3.secretKey(), "--intake.s3.bucket=" + BUCKET,
				"--intake.s3.create-bucket=true", "--intake.topics.replication-factor=1"));
		Collections.addAll(args, own);
		args.addAll(overrides);
		long begin = System.nanoTime();
		ConfigurableApplicationContext context = app.run(args.toArray(String[]::new));
		started.add(context::close);
		services.put(name, context);
		logger.info(name + " started on http://127.0.0.1:" + port + " in "
				+ Duration.ofNanos(System.nanoTime() - begin).toMillis() + " ms; health and metrics on http://127.0.0.1:"
				+ managementPort(name) + "/actuator");
	}

	/**
	 * The management port (health, {@code /actuator/prometheus}; no credential) of a service this
	 * launcher started: {@code api-service}, {@code worker-service} or {@code status-service}.
	 */
	public int managementPort(String service) {
		ConfigurableApplicationContext context = services.get(service);
		if (context == null) {
			throw new IllegalArgumentException(service + " is not running here; running: " + services.keySet());
		}
		return context.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
	}

	/** The services started here, by name, in the order they started. */
	public Set<String> services() {
		return Collections.unmodifiableSet(services.keySet());
	}

	private void awaitReady() throws Exception {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		for (String service : services.keySet()) {
			int port = managementPort(service);
			URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
			while (true) {
				try {
					HttpResponse<Void> response = http.send(HttpRequest.newBuilder(readiness).build(),
							HttpResponse.BodyHandlers.discarding());
					if (response.statusCode() == 200) {
						break;
					}
				}
				catch (java.io.IOException ex) {
					// not listening yet
				}
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException(service + " (management port " + port + ") did not become ready in 3 minutes");
				}
				Thread.sleep(200);
			}
		}
	}

	public LocalSettings settings() {
		return settings;
	}

	Backends.S3 s3() {
		return s3;
	}

	String kafkaBootstrapServers() {
		return kafkaBootstrapServers;
	}

	@Override
	public void close() {
		for (int i = started.size() - 1; i >= 0; i--) {
			try {
				started.get(i).close();
			}
			catch (Exception ex) {
				logger.warn("Stopping a component failed: " + ex.getMessage());
			}
		}
		started.clear();
		services.clear();
	}

}
