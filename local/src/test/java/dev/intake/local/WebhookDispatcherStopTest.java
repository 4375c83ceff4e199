package dev.intake.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * At least once through a dispatcher that goes away mid-delivery: the only worker (and so the only
 * dispatcher) is stopped while its request to the endpoint is in progress, and the connection is
 * cut; a second worker started afterwards delivers the event, under the same {@code webhook-id},
 * verified with the {@code standardwebhooks} library.
 */
@Timeout(300)
class WebhookDispatcherStopTest {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@TempDir
	Path dataDir;

	private final List<AutoCloseable> started = new ArrayList<>();

	private HttpServer receiver;

	@AfterEach
	void stop() throws Exception {
		for (int i = started.size() - 1; i >= 0; i--) {
			started.get(i).close();
		}
		if (receiver != null) {
			receiver.stop(0);
		}
	}

	@Test
	void anEventInDeliveryWhenItsDispatcherStopsStillArrives() throws Exception {
		CountDownLatch firstArrived = new CountDownLatch(1);
		CountDownLatch cut = new CountDownLatch(1);
		Queue<String> delivered = new ConcurrentLinkedQueue<>();
		String[] secret = new String[1];
		receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
		receiver.createContext("/hook", exchange -> {
			try (exchange) {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				if (firstArrived.getCount() > 0) {
					// the first request is held until the test cuts it, answering nothing
					firstArrived.countDown();
					hold(cut);
					return;
				}
				verify(exchange, body, secret[0]);
				delivered.add(exchange.getRequestHeaders().getFirst("webhook-id"));
				exchange.sendResponseHeaders(200, -1);
			}
		});
		receiver.start();
		String[] overrides = { "--intake.webhooks.allow-loopback=true",
				"--intake.webhooks.allowed-ports=80,443," + receiver.getAddress().getPort(),
				"--intake.webhooks.timeout=60s", "--intake.webhooks.retry-schedule=500ms,500ms",
				"--intake.webhooks.jitter=0%",
				// a stopped worker's partitions move on within seconds
				"--spring.kafka.consumer.properties.session.timeout.ms=6000",
				"--spring.kafka.consumer.properties.heartbeat.interval.ms=1500" };
		String internal = "internal-" + System.nanoTime();
		LocalIntake first = LocalStacks.onFreePorts(dataDir, ports -> {
			List<AutoCloseable> parts = new ArrayList<>();
			try {
				parts.add(LocalIntake.startPart(ports, "backends", internal));
				parts.add(LocalIntake.startPart(ports, "status", internal, overrides));
				parts.add(LocalIntake.startPart(ports, "api", internal, overrides));
				LocalIntake worker = LocalIntake.startPart(ports, "worker", internal, overrides);
				started.addAll(parts);
				return worker;
			}
			catch (Exception | Error ex) {
				for (int i = parts.size() - 1; i >= 0; i--) {
					parts.get(i).close();
				}
				throw ex;
			}
		});
		LocalSettings settings = first.settings();
		IntakeClient client = LocalStacks.clientOf(first);

		IntakeClient.Answer created = post(client, settings, "/webhooks",
				"{\"url\": \"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\", \"events\": [\"*\"]}");
		assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
		secret[0] = created.body().get("secret").asString();
		String id = created.body().get("id").asString();
		IntakeClient.Answer ping = post(client, settings, "/webhooks/" + id + "/test", "");
		assertThat(ping.status()).isEqualTo(202);
		String deliveryId = ping.body().get("delivery_id").asString();

		assertThat(firstArrived.await(120, TimeUnit.SECONDS)).as("the first attempt reached the endpoint").isTrue();
		URI firstReadiness = URI.create(
				"http://127.0.0.1:" + first.managementPort("worker-service") + "/actuator/health/readiness");
		assertThat(readinessOf(firstReadiness)).as("the first worker before it stops").isEqualTo(200);
		CompletableFuture<Void> stopping = CompletableFuture.runAsync(first::close);
		// the dispatcher is going away with its request unanswered (its worker refuses traffic from
		// the moment its context starts closing, before its listeners stop); then the connection is cut
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
			.until(() -> readinessOf(firstReadiness) != 200);
		cut.countDown();
		stopping.get(120, TimeUnit.SECONDS);
		started.add(secondWorker(settings, internal, overrides));

		await().atMost(Duration.ofSeconds(120)).until(() -> delivered.contains(deliveryId));
		assertThat(delivered).containsOnly(deliveryId);
	}

	/** Another worker on the stack of {@code settings}, on a free port (another if that one is taken meanwhile). */
	private static LocalIntake secondWorker(LocalSettings settings, String internal, String[] overrides)
			throws Exception {
		for (int attempt = 1;; attempt++) {
			LocalSettings second = new LocalSettings(settings.dataDir(), settings.apiToken(), settings.apiPort(),
					settings.statusPort(), LocalStacks.settingsIn(settings.dataDir()).workerPort(), settings.kafkaPort(),
					settings.kafkaControllerPort(), settings.s3Port());
			try {
				return LocalIntake.startPart(second, "worker", internal, overrides);
			}
			catch (Exception ex) {
				if (attempt == 3 || !LocalStacks.portInUse(ex)) {
					throw ex;
				}
			}
		}
	}

	/** The status of a readiness probe, or 0 when nothing answers on its port. */
	private static int readinessOf(URI readiness) throws InterruptedException {
		try {
			return HTTP.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(20)).build(),
					HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return 0;
		}
	}

	private static void verify(HttpExchange exchange, String body, String secret) throws IOException {
		Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.putAll(exchange.getRequestHeaders());
		try {
			new Webhook(secret).verify(body, headers);
		}
		catch (Exception ex) {
			throw new IOException("not verified: " + ex.getMessage(), ex);
		}
	}

	private static void hold(CountDownLatch latch) {
		try {
			latch.await(120, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static IntakeClient.Answer post(IntakeClient client, LocalSettings settings, String path, String json)
			throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(settings.baseUrl() + path))
			.header("Authorization", "Bearer " + settings.apiToken())
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

}
