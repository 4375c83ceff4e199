package dev.intake.platform.s3;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The S3 clients' API-call timeouts run on {@link S3Timeouts}, and a call that has ended leaves
 * nothing behind there, however long its limit: against a loopback server that holds every PUT
 * until the test lets it answer, each call in flight has its timeout queued, and none is left
 * once they have all ended. The calls outnumber the client's connections, so most of them wait
 * for one while the first are held: that wait is given minutes, as it is not what is tested
 * here (a busy machine must not turn a slow wait into a failed call).
 */
class S3TimeoutsTest {

	private static final int CALLS = 40;

	/** Longest anything here waits when all is well: only a failing run ever waits this long. */
	private static final Duration PATIENCE = Duration.ofMinutes(2);

	private final CountDownLatch answer = new CountDownLatch(1);

	private final ExecutorService handlers = Executors.newFixedThreadPool(8);

	private HttpServer store;

	@BeforeEach
	void startStore() throws IOException {
		store = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
		store.setExecutor(handlers);
		store.createContext("/", exchange -> {
			exchange.getRequestBody().readAllBytes();
			try {
				answer.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.getResponseHeaders().add("ETag", "\"0\"");
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		store.start();
	}

	@AfterEach
	void stopStore() {
		answer.countDown();
		store.stop(0);
		handlers.shutdownNow();
	}

	@Test
	void endedCallsLeaveNoTimeoutTaskQueued() throws InterruptedException {
		IntakeS3Properties props = new IntakeS3Properties(URI.create("http://127.0.0.1:" + store.getAddress().getPort()),
				"us-east-1", "intake", "access", "secret", true, false, 8, Duration.ofSeconds(30), PATIENCE,
				PATIENCE, Duration.ofMinutes(20));
		try (S3AsyncClient s3 = S3ClientsConfiguration.asyncClient(props, 8, PATIENCE)) {
			List<CompletableFuture<PutObjectResponse>> puts = new ArrayList<>();
			int before = S3Timeouts.pending();
			for (int i = 0; i < CALLS; i++) {
				puts.add(s3.putObject(put -> put.bucket("intake").key("k" + puts.size()), AsyncRequestBody.fromString("x")));
			}
			long deadline = System.nanoTime() + PATIENCE.toNanos();
			while (S3Timeouts.pending() < before + CALLS && System.nanoTime() < deadline) {
				// polled, not spun: on two busy cores a spinning test starves the threads it waits for
				Thread.sleep(5);
			}
			assertThat(S3Timeouts.pending()).as("a timeout queued per call in flight")
				.isGreaterThanOrEqualTo(before + CALLS);
			answer.countDown();
			CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
			// a call's timeout is cancelled just after its future completes
			long settled = System.nanoTime() + PATIENCE.toNanos();
			while (S3Timeouts.pending() > before && System.nanoTime() < settled) {
				Thread.sleep(5);
			}
			assertThat(S3Timeouts.pending()).as("timeout tasks still queued after every call ended").isEqualTo(before);
		}
	}

}
