package dev.intake.bench.memory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.intake.api.auth.ApiKeyTool;
import dev.intake.testsupport.S3ProxyFixture;

/**
 * Flat-memory measurement: starts S3Proxy (filesystem backend under
 * {@code target/flat-memory-s3}) here, the api-service in a child JVM with {@code -Xmx256m}
 * ({@link FlatMemoryServer}), then submits {@code count} images of {@code size} MB as one multipart
 * request and as one JSON request of Base64 items, both generated as they are sent, and prints the
 * child's peak heap for each. Usage: {@code bench/scripts/flat-memory.sh [count] [sizeMb] [multipart,base64]}.
 */
public final class FlatMemoryRun {

	private static final String TOKEN = "flat-memory-token";

	private static final String BOUNDARY = "flat-memory-boundary";

	private static volatile String port;

	private static volatile String peaks = "";

	private FlatMemoryRun() {
	}

	public static void main(String[] args) throws Exception {
		int count = (args.length > 0) ? Integer.parseInt(args[0]) : 300;
		long size = ((args.length > 1) ? Long.parseLong(args[1]) : 10) * 1024 * 1024;
		String modes = (args.length > 2) ? args[2] : "multipart,base64";
		Path store = Path.of("target", "flat-memory-s3").toAbsolutePath();
		clear(store);
		Files.createDirectories(store);
		S3ProxyFixture s3 = S3ProxyFixture.startOnDisk(store);
		List<String> command = new ArrayList<>(List.of("java", "-Xmx256m"));
		// extra options for the api-service JVM, e.g. -Dflatmem.jvm=-Dio.netty.allocator.type=pooled
		String extra = System.getProperty("flatmem.jvm", "");
		if (!extra.isBlank()) {
			command.addAll(List.of(extra.trim().split("\\s+")));
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), FlatMemoryServer.class.getName(),
				"--server.port=0",
				"--intake.s3.endpoint=" + s3.endpoint(), "--intake.s3.bucket=flat-memory",
				"--intake.s3.access-key=" + S3ProxyFixture.ACCESS_KEY,
				"--intake.s3.secret-key=" + S3ProxyFixture.SECRET_KEY, "--intake.s3.create-bucket=true",
				"--intake.topics.create=false", "--spring.kafka.bootstrap-servers=127.0.0.1:9",
				"--intake.security.api-keys.local.tenant=local",
				"--intake.security.api-keys.local.hash=" + ApiKeyTool.hashOf(TOKEN),
				"--intake.limits.bytes-per-minute=100GB", "--logging.level.root=WARN"));
		Process server = new ProcessBuilder(command).redirectErrorStream(true)
			.start();
		try {
			watch(server.getInputStream());
			// generous: on a loaded 2-core machine the child can take minutes to start
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
			while (port == null && System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
			if (port == null) {
				throw new IllegalStateException("The api-service did not report its port within 600 s");
			}
			HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			OutputStream control = server.getOutputStream();
			if (modes.contains("multipart")) {
				run("multipart", count, size, client, control, multipart(count, size),
						"multipart/form-data; boundary=" + BOUNDARY, "/v1/batch-upload/submit-with-files", store);
			}
			if (modes.contains("base64")) {
				run("base64-json", count, size, client, control, json(count, size), "application/json",
						"/v1/batch-upload/submit", store);
			}
		}
		finally {
			server.destroy();
			server.waitFor(20, TimeUnit.SECONDS);
			s3.close();
			clear(store);
		}
	}

	private static void run(String name, int count, long size, HttpClient client, OutputStream control,
			List<Segment> body, String contentType, String path, Path store) throws Exception {
		control.write("reset\n".getBytes(StandardCharsets.US_ASCII));
		control.flush();
		Thread.sleep(2500);
		long start = System.nanoTime();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", "Bearer " + TOKEN)
			.header("Content-Type", contentType)
			.timeout(Duration.ofMinutes(30))
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(body)))
			.build();
		HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
		long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
		Thread.sleep(1500);
		System.out.printf("RESULT %s %d x %.1f MB: HTTP %d in %d s, %s%n  %s%n", name, count,
				size / 1024.0 / 1024.0, response.statusCode(), seconds, megabytes(peaks),
				response.body().substring(0, Math.min(300, response.body().length())));
		clear(store.resolve("flat-memory").resolve("staging"));
	}

	private static List<Segment> multipart(int count, long size) {
		List<Segment> segments = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			segments.add(Segment.text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"files\"; "
					+ "filename=\"img-" + i + ".png\"\r\nContent-Type: image/png\r\n\r\n"));
			segments.add(Segment.random(size, null));
			segments.add(Segment.text("\r\n"));
		}
		segments.add(Segment.text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"batch_id\"\r\n\r\n"
				+ "flat-memory-multipart\r\n--" + BOUNDARY + "--\r\n"));
		return segments;
	}

	private static List<Segment> json(int count, long size) {
		byte[] alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
			.getBytes(StandardCharsets.US_ASCII);
		List<Segment> segments = new ArrayList<>();
		segments.add(Segment.text("{\"batch_id\": \"flat-memory-json\", \"items\": ["));
		for (int i = 0; i < count; i++) {
			segments.add(Segment.text(((i > 0) ? "," : "") + "\n{\"type\": \"base64\", \"image_name\": \"img-" + i
					+ ".png\", \"data\": \"data:image/png;base64,"));
			segments.add(Segment.random(size / 3 * 4, alphabet)); // decodes to just under size bytes
			segments.add(Segment.text("\"}"));
		}
		segments.add(Segment.text("]}"));
		return segments;
	}

	private static String megabytes(String line) {
		StringBuilder out = new StringBuilder();
		for (String part : line.split(" ")) {
			String[] pair = part.split("=");
			if (pair.length == 2) {
				out.append(pair[0]).append('=').append(Long.parseLong(pair[1]) / (1024 * 1024)).append("MB ");
			}
		}
		return out.toString().trim();
	}

	private static void watch(InputStream output) {
		CompletableFuture.runAsync(() -> {
			try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					if (line.startsWith("FLATMEM port=")) {
						port = line.substring("FLATMEM port=".length());
					}
					else if (line.startsWith("FLATMEM ")) {
						peaks = line.substring("FLATMEM ".length());
					}
					else {
						System.out.println("[api] " + line);
					}
				}
			}
			catch (IOException ex) {
				// the server ended
			}
		});
	}

	private static void clear(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
	}

	/** A piece of a generated body: fixed text, or random bytes (from an alphabet when given). */
	private record Segment(byte[] text, long length, byte[] alphabet) {

		static Segment text(String text) {
			byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
			return new Segment(bytes, bytes.length, null);
		}

		static Segment random(long length, byte[] alphabet) {
			return new Segment(null, length, alphabet);
		}

	}

	/** Generates a body as it is read, never holding more than the caller's buffer. */
	private static final class Generated extends InputStream {

		private final List<Segment> segments;

		private final java.util.Random random = new java.util.Random(42);

		private int segment;

		private long offset;

		Generated(List<Segment> segments) {
			this.segments = segments;
		}

		@Override
		public int read() {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] buffer, int from, int length) {
			while (segment < segments.size() && offset == segments.get(segment).length()) {
				segment++;
				offset = 0;
			}
			if (segment == segments.size()) {
				return -1;
			}
			Segment current = segments.get(segment);
			int count = (int) Math.min(length, current.length() - offset);
			if (current.text() != null) {
				System.arraycopy(current.text(), (int) offset, buffer, from, count);
			}
			else {
				for (int i = 0; i < count; i++) {
					int value = random.nextInt();
					buffer[from + i] = (current.alphabet() != null) ? current.alphabet()[value & 63] : (byte) value;
				}
			}
			offset += count;
			return count;
		}

	}

}
