package dev.intake.local;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpServer;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.shaded.org.eclipse.jetty.server.Handler;
import org.gaul.shaded.org.eclipse.jetty.server.Request;
import org.gaul.shaded.org.eclipse.jetty.server.Response;
import org.gaul.shaded.org.eclipse.jetty.server.Server;
import org.gaul.shaded.org.eclipse.jetty.util.Callback;

/**
 * Counts every request the S3 server receives, by S3 operation, before S3Proxy handles it, and
 * publishes the counts as plain text ({@code <Operation> <count>} per line) at
 * {@code http://127.0.0.1:<port>/s3-requests}: what the benchmark reads for its S3 requests per
 * image, counted by the server rather than by the clients. The operation is told from the method,
 * the path and the query as S3 defines them (a PUT with {@code x-amz-copy-source} is a CopyObject,
 * a POST with {@code ?delete} a DeleteObjects, and so on).
 */
final class S3RequestCounts implements AutoCloseable {

	private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

	private final HttpServer http;

	private S3RequestCounts(HttpServer http) {
		this.http = http;
	}

	/** Wraps the (not yet started) server's handler and publishes the counts on {@code port}. */
	static S3RequestCounts install(S3Proxy proxy, int port) throws IOException {
		HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
		S3RequestCounts counts = new S3RequestCounts(http);
		Server server = jettyServer(proxy);
		server.setHandler(counts.new Counting(server.getHandler()));
		http.createContext("/s3-requests", exchange -> {
			byte[] body = counts.text().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		http.start();
		return counts;
	}

	/** S3Proxy keeps its Jetty server to itself; its handler is wrapped before the server starts. */
	private static Server jettyServer(S3Proxy proxy) {
		try {
			Field field = S3Proxy.class.getDeclaredField("server");
			field.setAccessible(true);
			return (Server) field.get(proxy);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("cannot count S3 requests with this S3Proxy version", ex);
		}
	}

	/** The counts so far, one {@code <Operation> <count>} line per operation, sorted by name. */
	String text() {
		StringBuilder out = new StringBuilder();
		new TreeMap<>(counts).forEach((operation, count) -> out.append(operation).append(' ').append(count.sum()).append('\n'));
		return out.toString();
	}

	/**
	 * The S3 operation of a request, from its method, path ({@code /bucket} or
	 * {@code /bucket/key}, path-style) and query.
	 */
	static String operation(String method, String path, String query, boolean copySource) {
		String q = (query == null) ? "" : "&" + query + "&";
		boolean object = path != null && path.indexOf('/', 1) > 0 && path.indexOf('/', 1) < path.length() - 1;
		return switch (method) {
			case "GET" -> object ? "GetObject" : (q.contains("&uploads") ? "ListMultipartUploads" : "ListObjects");
			case "HEAD" -> object ? "HeadObject" : "HeadBucket";
			case "PUT" -> !object ? "CreateBucket" : copySource ? "CopyObject"
					: q.contains("&partNumber=") ? "UploadPart" : "PutObject";
			case "DELETE" -> !object ? "DeleteBucket" : q.contains("&uploadId=") ? "AbortMultipartUpload" : "DeleteObject";
			case "POST" -> q.contains("&delete") ? "DeleteObjects" : q.contains("&uploads")
					? "CreateMultipartUpload" : q.contains("&uploadId=") ? "CompleteMultipartUpload" : "Post";
			default -> method;
		};
	}

	@Override
	public void close() {
		http.stop(0);
	}

	/** Counts, then hands the request on unchanged. */
	private final class Counting extends Handler.Wrapper {

		Counting(Handler handler) {
			super(handler);
		}

		@Override
		public boolean handle(Request request, Response response, Callback callback) throws Exception {
			String operation = operation(request.getMethod(), request.getHttpURI().getPath(),
					request.getHttpURI().getQuery(), request.getHeaders().contains("x-amz-copy-source"));
			counts.computeIfAbsent(operation, name -> new LongAdder()).increment();
			return super.handle(request, response, callback);
		}

	}

}
