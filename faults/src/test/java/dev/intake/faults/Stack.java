package dev.intake.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.intake.api.auth.ApiKeyTool;
import dev.intake.testsupport.LoopbackPorts;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * The processes the fault tests run against, shared by every scenario of one test JVM (failsafe
 * runs two, each with a stack of its own): a Kafka broker ({@code BrokerMain}) and an S3 server
 * ({@code S3Main}) from the test class path, and the status and api services from their exec jars,
 * all on free 127.0.0.1 ports with data under {@code faults/target/faults/run-<millis>-<pid>/}.
 * Workers are started per scenario ({@link #startWorker}). Each scenario has its own tenant, so
 * its objects and batches are its own.
 */
final class Stack {

	static final String BUCKET = "intake";

	static final String ACCESS_KEY = "intake-local";

	static final String SECRET_KEY = "intake-local-secret";

	/** One tenant per scenario; the api-service accepts a token for each. */
	static final List<String> TENANTS = List.of("kill", "pair", "broker", "s3", "url", "decode", "poison", "single",
			"webhook", "halt");

	/**
	 * Deliveries of a job the broker allows ({@code group.share.delivery.count.limit}): low, so a job
	 * that kills its worker ends after three crashes, and still two redeliveries for a transient
	 * failure (a URL origin that answers 503 twice).
	 */
	static final int DELIVERY_LIMIT = 4;

	/** The tenant whose key may also manage webhook subscriptions. */
	static final String WEBHOOK_TENANT = "webhook";

	private static final String TOKEN_SUFFIX = "-" + UUID.randomUUID();

	private static final String JVM_OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";

	private static Stack shared;

	private final Path work;

	private final Path data;

	private final Path logs;

	private final int kafkaPort = freePort();

	private final int controllerPort = freePort();

	private final int s3Port = freePort();

	private final int statusPort = freePort();

	private final int apiPort = freePort();

	/** The one port, besides 80 and 443, a webhook endpoint of the stack may name (on loopback). */
	private final int webhookPort = freePort();

	private final AtomicInteger workers = new AtomicInteger();

	private Child broker;

	private Child s3;

	private Child status;

	private Child api;

	private Stack(Path work) {
		this.work = work;
		this.data = work.resolve("data");
		this.logs = work.resolve("logs");
	}

	/** The shared stack, started on first use (about 30-60 s on two busy cores). */
	static synchronized Stack shared() throws Exception {
		// the ports are found free before the children bind them, and another process may take one in
		// between (likelier on a busy machine): then the stack starts again, on other ports
		for (int attempt = 1; shared == null; attempt++) {
			Path work = Path.of(System.getProperty("faults.work", "target/faults"))
				.resolve("run-" + System.currentTimeMillis() + "-" + ProcessHandle.current().pid());
			Stack stack = new Stack(work);
			try {
				stack.start();
				shared = stack;
			}
			catch (Exception ex) {
				List<Child> children = Stream.of(stack.broker, stack.s3, stack.status, stack.api)
					.filter(Objects::nonNull)
					.toList();
				children.forEach(Child::kill);
				if (attempt == 3 || !portInUse(children)) {
					throw ex;
				}
				Faults.log("a port of the stack was taken (" + String.valueOf(ex.getMessage()).lines().findFirst().orElse("")
						+ "); starting it again on others");
			}
		}
		return shared;
	}

	/** Whether one of the children did not start because a port was in use, as its log says. */
	static boolean portInUse(List<Child> children) {
		// the bind error as Kafka and Jetty log it, or Spring Boot's report of it
		return children.stream().map(Child::sinceLastStart).anyMatch(log -> log.contains("Address already in use")
				|| log.contains("was already in use") || log.contains("Failed to bind"));
	}

	private void start() throws Exception {
		long begin = System.nanoTime();
		Files.createDirectories(data);
		Path classpath = work.resolve("backend.args");
		Files.writeString(classpath, "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
		// the workers' share group: few deliveries, and a dead worker's jobs released within seconds
		broker = Child.start("broker", logs, args("-Xmx256m", JVM_OPTIONS, "@" + classpath,
				"dev.intake.local.BrokerMain", data.toString(), String.valueOf(kafkaPort),
				String.valueOf(controllerPort), "group.share.delivery.count.limit=" + DELIVERY_LIMIT,
				"group.share.min.session.timeout.ms=6000", "group.share.session.timeout.ms=6000",
				"group.share.min.heartbeat.interval.ms=1000", "group.share.heartbeat.interval.ms=1500"));
		s3 = Child.start("s3", logs, args("-Xmx192m", JVM_OPTIONS, "@" + classpath, "dev.intake.local.S3Main",
				data.toString(), String.valueOf(s3Port)));
		broker.awaitLog("BROKER READY", Duration.ofMinutes(2));
		s3.awaitLog("S3 READY", Duration.ofMinutes(2));
		Faults.log("broker on " + kafkaPort + " and S3 on " + s3Port + " ready in " + Faults.since(begin));
		// the shared credential of the status-service's internal API
		String internalToken = ApiKeyTool.newKey(new SecureRandom());
		status = service("status", "status-service", statusPort, "-Xmx320m", "--intake.internal.token=" + internalToken,
				"--spring.kafka.streams.state-dir=" + data.resolve("streams"), "--intake.status.advertised-host=127.0.0.1",
				"--intake.images.public-base-url=http://127.0.0.1:" + apiPort + "/i/");
		List<String> apiArgs = new ArrayList<>(List.of("--intake.status-service.base-url=http://127.0.0.1:" + statusPort,
				"--intake.internal.token=" + internalToken));
		// one API key per tenant, configured by its hash as an operator would
		TENANTS.forEach(tenant -> {
			apiArgs.add("--intake.security.api-keys." + tenant + ".tenant=" + tenant);
			apiArgs.add("--intake.security.api-keys." + tenant + ".hash=" + ApiKeyTool.hashOf(token(tenant)));
		});
		apiArgs.add("--intake.security.api-keys." + WEBHOOK_TENANT + ".scopes=images:read,images:write,webhooks:manage");
		apiArgs.addAll(webhookLoopback());
		api = service("api", "api-service", apiPort, "-Xmx256m", apiArgs.toArray(String[]::new));
		CompletableFuture.allOf(CompletableFuture.runAsync(() -> awaitReady(status, statusPort)),
				CompletableFuture.runAsync(() -> awaitReady(api, apiPort))).join();
		Faults.log("status and api ready " + Faults.since(begin) + " after start; logs in " + logs);
	}

	/**
	 * Starts a worker of its own name with the shared settings plus {@code extra}, and waits until
	 * it is ready. Its share group session times out after 6 s (the broker's setting), and so does
	 * the session of its consumer group members (webhook deliveries and events, the broker's
	 * {@code group.min.session.timeout.ms}), so what a killed worker held goes to the others within
	 * seconds, and a killed worker of an earlier scenario holds up no later rebalance for long.
	 */
	Child startWorker(String scenario, String... extra) {
		return startWorkers(scenario, 1, extra).get(0);
	}

	/**
	 * Starts {@code count} workers as {@link #startWorker} does, all at once, and waits until every
	 * one is ready; if one is not, kills them all before it fails.
	 */
	List<Child> startWorkers(String scenario, int count, String... extra) {
		// a port found free may be taken before a worker binds it: then they start again on others
		for (int attempt = 1;; attempt++) {
			List<Child> started = new ArrayList<>();
			try {
				return startWorkersOnce(started, scenario, count, extra);
			}
			catch (RuntimeException ex) {
				if (attempt == 3 || !portInUse(started)) {
					throw ex;
				}
				Faults.log("a worker's port was taken; starting the workers again on others");
			}
		}
	}

	/** Starts the workers into {@code started}, which holds them (killed) when it fails. */
	private List<Child> startWorkersOnce(List<Child> started, String scenario, int count, String... extra) {
		List<Integer> ports = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String name = "worker-" + scenario + "-" + workers.incrementAndGet();
			int port = freePort();
			List<String> own = new ArrayList<>(List.of("--intake.worker.temp-dir=" + data.resolve("tmp-" + name),
					"--spring.kafka.consumer.properties.session.timeout.ms=6000",
					"--spring.kafka.consumer.properties.heartbeat.interval.ms=1500"));
			own.addAll(List.of(extra));
			started.add(service(name, "worker-service", port, "-Xmx256m", own.toArray(String[]::new)));
			ports.add(port);
		}
		try {
			for (int i = 0; i < count; i++) {
				awaitReady(started.get(i), ports.get(i));
			}
		}
		catch (RuntimeException ex) {
			// a worker that becomes ready later would take the jobs of the scenarios after this one
			started.forEach(Child::kill);
			throw ex;
		}
		return List.copyOf(started);
	}

	/**
	 * The settings that let subscriptions and deliveries reach a receiver of the test on
	 * {@code 127.0.0.1:}{@link #webhookPort()}; the api-service has them from the start.
	 */
	List<String> webhookLoopback() {
		return List.of("--intake.webhooks.allow-loopback=true", "--intake.webhooks.allowed-ports=80,443," + webhookPort);
	}

	int webhookPort() {
		return webhookPort;
	}

	/** Starts a service from its exec jar; does not wait for it. */
	private Child service(String name, String module, int port, String heap, String... own) {
		Path jar = Path.of(System.getProperty("faults.root", ".."), module, "target",
				module + "-" + System.getProperty("faults.version", "0.1.0-SNAPSHOT") + "-exec.jar")
			.toAbsolutePath()
			.normalize();
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is missing: build it first (./mvnw -pl faults -am verify)");
		}
		List<String> command = args(heap, JVM_OPTIONS, "-jar", jar.toString(), "--server.address=127.0.0.1",
				"--server.port=" + port,
				// health on the service's port: one port per child process
				"--management.server.port=" + port, "--spring.main.banner-mode=off", "--spring.kafka.bootstrap-servers=" + kafka(),
				"--intake.s3.endpoint=" + s3Endpoint(), "--intake.s3.access-key=" + ACCESS_KEY,
				"--intake.s3.secret-key=" + SECRET_KEY, "--intake.s3.bucket=" + BUCKET, "--intake.s3.create-bucket=true",
				"--intake.topics.replication-factor=1");
		command.addAll(List.of(own));
		return Child.start(name, logs, command);
	}

	private static void awaitReady(Child child, int port) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
		try {
			await().atMost(Duration.ofMinutes(3)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250)).until(() -> {
				try {
					var response = http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
							HttpResponse.BodyHandlers.discarding());
					if (response.statusCode() == 200) {
						return true;
					}
				}
				catch (IOException ex) {
					// not listening yet
				}
				if (!child.isAlive()) {
					throw new IllegalStateException(child.name() + " did not become ready:\n" + child.tail(80));
				}
				return false;
			});
		}
		catch (ConditionTimeoutException ex) {
			throw new IllegalStateException(child.name() + " did not become ready:\n" + child.tail(80), ex);
		}
	}

	private static List<String> args(String... parts) {
		List<String> args = new ArrayList<>();
		for (String part : parts) {
			args.addAll(part.startsWith("-XX") ? List.of(part.split(" ")) : List.of(part));
		}
		return args;
	}

	static String token(String tenant) {
		return "faults-" + tenant + TOKEN_SUFFIX;
	}

	Child broker() {
		return broker;
	}

	/** Starts the broker again on the same ports and data directory, and waits for it. */
	void restartBroker() throws InterruptedException {
		broker.restart();
		broker.awaitLog("BROKER READY", Duration.ofMinutes(2));
	}

	Child s3() {
		return s3;
	}

	/** Starts S3 again on the same port and directory, and waits for it. */
	void restartS3() throws InterruptedException {
		s3.restart();
		s3.awaitLog("S3 READY", Duration.ofMinutes(2));
	}

	/** Logs of the shared processes, to print when a scenario fails. */
	List<Child> sharedChildren() {
		return List.of(broker, s3, status, api);
	}

	String kafka() {
		return "127.0.0.1:" + kafkaPort;
	}

	String s3Endpoint() {
		return "http://127.0.0.1:" + s3Port;
	}

	String apiBase() {
		return "http://127.0.0.1:" + apiPort;
	}

	Map<String, String> describe() {
		return Map.of("kafka", kafka(), "s3", s3Endpoint(), "api", apiBase(), "logs", logs.toString());
	}

	static int freePort() {
		// restarted on the same port: not one an outgoing connection can take meanwhile
		return LoopbackPorts.free();
	}

}
