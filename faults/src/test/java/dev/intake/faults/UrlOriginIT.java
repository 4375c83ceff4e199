package dev.intake.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * URL items against a loopback origin this test runs: one that fails twice with 503 and then
 * serves the image (succeeds), one that answers 404 (fails at once, one request, clear message),
 * one that accepts the connection and never answers (times out, clear message). The worker
 * under test allows loopback and the origin's port, with short fetch deadlines and retry waits.
 */
@ExtendWith(Faults.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class UrlOriginIT {

	private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

	private final CountDownLatch released = new CountDownLatch(1);

	private HttpServer origin;

	private ExecutorService handlers;

	@AfterEach
	void endScenario() {
		Faults.endScenario();
		released.countDown();
		if (origin != null) {
			origin.stop(0);
			handlers.shutdownNow();
		}
	}

	@Test
	void flakyMissingAndSilentOrigins() throws Exception {
		Stack stack = Stack.shared();
		byte[] image = TestImages.numbered("url-origin", 1);
		startOrigin(image);
		int port = origin.getAddress().getPort();
		Faults.involve(stack.startWorker("url", "--intake.worker.fetch.allow-loopback=true",
				"--intake.worker.fetch.allowed-ports=" + port, "--intake.worker.fetch.connect-timeout=2s",
				"--intake.worker.fetch.read-timeout=2s", "--intake.worker.fetch.total-timeout=4s",
				// the retry window of a transient failure in seconds, not the default minute and a half
				"--intake.worker.jobs.retry.initial-interval=200ms", "--intake.worker.jobs.retry.max-interval=1s",
				"--intake.worker.jobs.retry.jitter=50ms"));
		Api api = new Api(stack, "url");
		String batch = "url-" + System.currentTimeMillis();
		String base = "http://127.0.0.1:" + port;
		long begin = System.nanoTime();
		api.submitJson("""
				{"batch_id": "%s", "items": [
				  {"type": "url", "url": "%s/flaky.png", "image_name": "flaky.png"},
				  {"type": "url", "url": "%s/missing.png", "image_name": "missing.png"},
				  {"type": "url", "url": "%s/silent.png", "image_name": "silent.png"}]}"""
			.formatted(batch, base, base, base));
		JsonNode done = api.awaitDone(batch, Duration.ofMinutes(5));
		Faults.log("URL batch done in " + Faults.since(begin) + "; requests " + requests);
		AfterChecks.Outcome outcome = AfterChecks.verify(stack, api.tenant(), done);

		JsonNode flaky = outcome.items().get(0);
		assertThat(flaky.get("status").asString()).as("flaky origin: %s", flaky).isEqualTo("TASK_SUCCEEDED");
		assertThat(flaky.get("image").get("size").asLong()).isEqualTo(image.length);
		assertThat(requests.get("/flaky.png")).as("two 503s, then the image").hasValue(3);

		JsonNode missing = outcome.items().get(1);
		Faults.log("404 origin: " + missing.get("error_code") + " " + missing.get("error_message"));
		assertThat(missing.get("status").asString()).isEqualTo("TASK_FAILED");
		assertThat(missing.get("error_code").asString()).isEqualTo("FETCH_FAILED");
		assertThat(missing.get("error_message").asString()).contains("404");
		assertThat(requests.get("/missing.png")).as("a 404 is not retried").hasValue(1);

		JsonNode silent = outcome.items().get(2);
		Faults.log("silent origin: " + silent.get("error_code") + " " + silent.get("error_message"));
		assertThat(silent.get("status").asString()).isEqualTo("TASK_FAILED");
		assertThat(silent.get("error_code").asString()).isIn("FETCH_FAILED", "RETRIES_EXHAUSTED");
		assertThat(silent.get("error_message").asString()).contains("URL")
			.containsAnyOf("did not answer in time", "took longer than");
	}

	private void startOrigin(byte[] image) throws IOException {
		origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
		handlers = Executors.newCachedThreadPool();
		origin.setExecutor(handlers);
		origin.createContext("/", exchange -> {
			String path = exchange.getRequestURI().getPath();
			int count = requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
			switch (path) {
				case "/flaky.png" -> {
					if (count <= 2) {
						send(exchange, 503, new byte[0]);
					}
					else {
						exchange.getResponseHeaders().set("Content-Type", "image/png");
						send(exchange, 200, image);
					}
				}
				case "/silent.png" -> {
					try {
						// never answer: the connection stays open until the test ends
						released.await(10, TimeUnit.MINUTES);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					exchange.close();
				}
				default -> send(exchange, 404, new byte[0]);
			}
		});
		origin.start();
	}

	private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
		exchange.sendResponseHeaders(status, (body.length == 0) ? -1 : body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

}
