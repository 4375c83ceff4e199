package dev.intake.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * At least once through a dispatcher killed mid-delivery: a loopback receiver of the test holds
 * the first request for a batch's {@code batch.completed} event open, the only worker (and so the
 * only dispatcher) is killed with SIGKILL while it waits for the answer, and a second worker
 * process delivers the same event under the same {@code webhook-id}. Every request, the held one
 * included, is verified with the {@code standardwebhooks} library.
 */
@ExtendWith(Faults.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class WebhookDispatcherKillIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String BATCH_COMPLETED = "dev.intake.batch.completed.v1";

	/** The request that is held open, then the ones answered 200: webhook-id and event type. */
	record Received(String webhookId, String type) {
	}

	private final List<Received> held = new ArrayList<>();

	private final Queue<Received> delivered = new ConcurrentLinkedQueue<>();

	private final AtomicInteger unverified = new AtomicInteger();

	private final CountDownLatch firstArrived = new CountDownLatch(1);

	private final CountDownLatch release = new CountDownLatch(1);

	private HttpServer receiver;

	private ExecutorService receiverThreads;

	private volatile String secret;

	@AfterEach
	void endScenario() {
		release.countDown();
		if (receiver != null) {
			receiver.stop(0);
			receiverThreads.shutdownNow();
		}
		Faults.endScenario();
	}

	@Test
	void anEventInDeliveryWhenItsDispatcherIsKilledStillArrives() throws Exception {
		Stack stack = Stack.shared();
		startReceiver(stack.webhookPort());
		List<String> workerArgs = new ArrayList<>(stack.webhookLoopback());
		// the held request must outlive the kill; a retry, were one needed, comes soon
		workerArgs.addAll(List.of("--intake.webhooks.timeout=120s", "--intake.webhooks.retry-schedule=1s,1s",
				"--intake.webhooks.jitter=0%"));
		Child first = Faults.involve(stack.startWorker("webhook", workerArgs.toArray(String[]::new)));

		JsonNode created = createSubscription(stack,
				"{\"url\": \"http://127.0.0.1:" + stack.webhookPort() + "/hook\", \"events\": [\"" + BATCH_COMPLETED + "\"]}");
		secret = created.get("secret").asString();
		long begin = System.nanoTime();
		Api api = new Api(stack, Stack.WEBHOOK_TENANT);
		String batch = "webhook-" + System.currentTimeMillis();
		api.submitFiles(batch, TestImages.series(batch, 1));

		assertThat(firstArrived.await(5, TimeUnit.MINUTES)).as("the first attempt reached the receiver").isTrue();
		Received inFlight;
		synchronized (held) {
			inFlight = held.get(0);
		}
		first.kill();
		Faults.log("killed " + first.name() + " (pid " + first.pid() + ") holding delivery " + inFlight.webhookId()
				+ ", " + Faults.since(begin) + " after submit");
		// the killed process's connection is gone; the held handler may end
		release.countDown();
		assertThat(delivered).as("nothing was answered 200 before the kill").isEmpty();

		Child second = Faults.involve(stack.startWorker("webhook", workerArgs.toArray(String[]::new)));
		await().alias("the held delivery, from " + second.name())
			.atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> delivered.stream().anyMatch(r -> r.webhookId().equals(inFlight.webhookId())));
		Faults.log("delivery " + inFlight.webhookId() + " arrived again " + Faults.since(begin) + " after submit");
		assertThat(inFlight.type()).isEqualTo(BATCH_COMPLETED);
		assertThat(delivered).as("only the batch's one event, at least once")
			.allSatisfy(r -> assertThat(r).isEqualTo(inFlight));
		assertThat(unverified).as("requests that failed signature verification").hasValue(0);
	}

	private void startReceiver(int port) throws IOException {
		receiverThreads = Executors.newCachedThreadPool();
		receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
		receiver.setExecutor(receiverThreads);
		receiver.createContext("/hook", exchange -> {
			try (exchange) {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				if (!verified(exchange, body)) {
					unverified.incrementAndGet();
					exchange.sendResponseHeaders(400, -1);
					return;
				}
				Received received = new Received(exchange.getRequestHeaders().getFirst("webhook-id"),
						JSON.readTree(body).path("type").asString());
				boolean hold;
				synchronized (held) {
					hold = held.isEmpty();
					if (hold) {
						held.add(received);
					}
				}
				if (hold) {
					// no answer: the dispatcher waits for one until it is killed
					firstArrived.countDown();
					awaitRelease();
					return;
				}
				delivered.add(received);
				exchange.sendResponseHeaders(200, -1);
			}
		});
		receiver.start();
	}

	private boolean verified(HttpExchange exchange, String body) {
		Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.putAll(exchange.getRequestHeaders());
		try {
			new Webhook(secret).verify(body, headers);
			return true;
		}
		catch (Exception ex) {
			Faults.log("a webhook request failed verification: " + ex);
			return false;
		}
	}

	private void awaitRelease() {
		try {
			release.await(5, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static JsonNode createSubscription(Stack stack, String json) throws Exception {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.apiBase() + "/v1/webhooks"))
			.header("Authorization", "Bearer " + Stack.token(Stack.WEBHOOK_TENANT))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofMinutes(1))
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return JSON.readTree(response.body());
	}

}
