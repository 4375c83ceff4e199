package dev.intake.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP origin on 127.0.0.1 with a random port, started by a test, that counts hits and
 * records request headers. The only server fetch tests ever connect to.
 */
public final class LoopbackOrigin implements AutoCloseable {

	private final HttpServer server;

	private final ExecutorService executor;

	private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

	public final List<Headers> requests = new CopyOnWriteArrayList<>();

	private LoopbackOrigin(HttpServer server, ExecutorService executor) {
		this.server = server;
		this.executor = executor;
	}

	public static LoopbackOrigin start() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
		ExecutorService executor = Executors.newCachedThreadPool(r -> {
			Thread t = new Thread(r, "loopback-origin");
			t.setDaemon(true);
			return t;
		});
		server.setExecutor(executor);
		server.start();
		return new LoopbackOrigin(server, executor);
	}

	public int port() {
		return server.getAddress().getPort();
	}

	public String url(String path) {
		return "http://127.0.0.1:" + port() + path;
	}

	public int hits(String path) {
		return hits.computeIfAbsent(path, p -> new AtomicInteger()).get();
	}

	public int totalHits() {
		return hits.values().stream().mapToInt(AtomicInteger::get).sum();
	}

	/** Serves {@code path} with {@code handler}, counting and recording each request. */
	public LoopbackOrigin route(String path, HttpHandler handler) {
		server.createContext(path, exchange -> {
			hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
			requests.add(exchange.getRequestHeaders());
			try (exchange) {
				handler.handle(exchange);
			}
			catch (IOException ex) {
				// the client hung up on purpose (size limit, deadline)
			}
		});
		return this;
	}

	/** A handler answering {@code status} with {@code body} and a true Content-Length. */
	public static HttpHandler answer(int status, byte[] body, String... headerPairs) {
		return exchange -> {
			for (int i = 0; i + 1 < headerPairs.length; i += 2) {
				exchange.getResponseHeaders().add(headerPairs[i], headerPairs[i + 1]);
			}
			exchange.sendResponseHeaders(status, (body.length == 0) ? -1 : body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		};
	}

	/** A handler redirecting to {@code location}. */
	public static HttpHandler redirect(int status, String location) {
		return exchange -> {
			exchange.getResponseHeaders().add("Location", location);
			exchange.sendResponseHeaders(status, -1);
		};
	}

	/** Writes {@code body} in full to a response declared with {@code declaredLength} (0: chunked). */
	public static void send(HttpExchange exchange, long declaredLength, byte[] body) throws IOException {
		exchange.sendResponseHeaders(200, declaredLength);
		OutputStream out = exchange.getResponseBody();
		out.write(body);
		out.flush();
	}

	@Override
	public void close() {
		server.stop(0);
		executor.shutdownNow();
	}

}
