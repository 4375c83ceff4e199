package dev.intake.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.intake.testsupport.TestImages;

/**
 * A loopback image origin for URL items: {@code /slow/<n>.jpg} answers after {@code latencyMs}
 * with image n of its set, {@code /fast/<n>.jpg} at once. Counts requests and the most in flight
 * at once, to show the fetch concurrency Intake actually used.
 */
final class SlowOrigin implements AutoCloseable {

	private final HttpServer server;

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger maxInFlight = new AtomicInteger();

	SlowOrigin(List<byte[]> images, long latencyMs) throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
		server.setExecutor(threads);
		server.createContext("/", exchange -> {
			String path = exchange.getRequestURI().getPath();
			int now = inFlight.incrementAndGet();
			maxInFlight.accumulateAndGet(now, Math::max);
			try (exchange) {
				String[] parts = path.split("/");
				int n = Integer.parseInt(parts[2].replace(".jpg", ""));
				if ("slow".equals(parts[1])) {
					Thread.sleep(latencyMs);
				}
				byte[] body = TestImages.variant(images.get(n % images.size()), "origin " + n);
				exchange.getResponseHeaders().add("Content-Type", "image/jpeg");
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			}
			catch (InterruptedException | RuntimeException ex) {
				exchange.sendResponseHeaders(500, -1);
			}
			finally {
				inFlight.decrementAndGet();
			}
		});
		server.start();
	}

	int port() {
		return server.getAddress().getPort();
	}

	String url(String kind, int n) {
		return "http://127.0.0.1:" + port() + "/" + kind + "/" + n + ".jpg";
	}

	/** The most requests in flight at once since the last call, then resets. */
	int takeMaxInFlight() {
		return maxInFlight.getAndSet(0);
	}

	@Override
	public void close() {
		server.stop(0);
		threads.shutdownNow();
	}

}
