package dev.intake.bench;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.intake.testsupport.TestImages;

/**
 * The answer time of the single-file uploads (BENCHMARKS.md, "Single-file answer latency"):
 * the embedded default as a child JVM with its shipped rendition profiles, then one 1 MB JPEG
 * at a time through the AnqiCMS attachment upload ({@code thumb}) and the Inventorum images API
 * (seven renditions), each request timed from sending to the last byte of its answer.
 * Run with {@code -Pbench -Dbench.main=dev.intake.bench.SingleFileLatency}; arguments
 * {@code count=N} (timed uploads per API, default 100) and {@code warmup=N} (default 10).
 */
public final class SingleFileLatency {

	private static final int JPEG_BYTES = 1024 * 1024;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String origin;

	private SingleFileLatency(String origin) {
		this.origin = origin;
	}

	public static void main(String[] args) {
		try {
			run(args);
			System.exit(0);
		}
		catch (Exception | Error ex) {
			ex.printStackTrace();
			System.exit(1);
		}
	}

	private static void run(String[] args) throws Exception {
		int count = argument(args, "count", 100);
		int warmup = argument(args, "warmup", 10);
		Path workDir = Files.createDirectories(
				Path.of("single-file-run-" + Instant.now().toEpochMilli()).toAbsolutePath());
		byte[] jpeg = TestImages.noisyJpegs(1, JPEG_BYTES, 15).get(0);
		String loadAtStart = Files.readString(Path.of("/proc/loadavg")).trim();
		List<String> rows = new ArrayList<>();
		try (IntakeProcess intake = IntakeProcess.start(workDir, "single-file", List.of(), List.of())) {
			SingleFileLatency bench = new SingleFileLatency("http://127.0.0.1:" + intake.apiPort);
			rows.add(bench.measure("AnqiCMS attachment upload (`thumb`)", jpeg, warmup, count, bench::anqi));
			rows.add(bench.measure("Inventorum images API (7 renditions)", jpeg, warmup, count, bench::inventorum));
		}
		String loadAtEnd = Files.readString(Path.of("/proc/loadavg")).trim();
		StringBuilder table = new StringBuilder();
		table.append(String.format(Locale.ROOT,
				"%n## Single-file answer latency, %d-byte JPEG, one request at a time%n%n"
						+ "%d cores visible, Java %s; load average at start %s, at end %s%n%n",
				jpeg.length, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
				loadAtStart, loadAtEnd));
		table.append("| API (renditions) | p50 ms | p90 ms | p99 ms | max ms | samples |\n|---|---|---|---|---|---|\n");
		rows.forEach(row -> table.append(row).append('\n'));
		System.out.println(table);
		Files.writeString(workDir.resolve("results.md"), table);
		System.out.println("(also in " + workDir.resolve("results.md") + "; Intake's log beside it)");
	}

	interface Upload {

		HttpRequest request(byte[] jpeg, int n);

	}

	/**
	 * {@code warmup} uploads not counted, then {@code count} timed ones, each of a different
	 * variant of the JPEG (a comment names it), so none is answered from an earlier one.
	 */
	private String measure(String name, byte[] jpeg, int warmup, int count, Upload upload) throws Exception {
		Stats millis = new Stats();
		for (int i = 0; i < warmup + count; i++) {
			HttpRequest request = upload.request(TestImages.variant(jpeg, name + "-" + i), i);
			long begin = System.nanoTime();
			HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
			double elapsed = (System.nanoTime() - begin) / 1e6;
			if (answer.statusCode() != 200) {
				throw new IllegalStateException(name + " upload " + i + " answered " + answer.statusCode() + ": "
						+ answer.body());
			}
			if (i >= warmup) {
				millis.add(elapsed);
			}
		}
		System.out.printf(Locale.ROOT, "%s %s: p50 %.1f ms, p99 %.1f ms%n", java.time.LocalTime.now(), name,
				millis.median(), millis.percentile(99));
		return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %d |", name, millis.median(),
				millis.percentile(90), millis.percentile(99), millis.max(), millis.count());
	}

	/** The AnqiCMS document's curl example: {@code -F category_id=1 -F file=@image.jpg}. */
	private HttpRequest anqi(byte[] jpeg, int n) {
		String boundary = "------------------------bench" + n;
		byte[] body = form(boundary, "category_id", "1", "file", jpeg);
		return HttpRequest.newBuilder(URI.create(origin + "/attachment/upload?token=" + IntakeProcess.TOKEN))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
	}

	/** The Inventorum document's curl example: version 12, {@code -F image=@… -F type=product}. */
	private HttpRequest inventorum(byte[] jpeg, int n) {
		String boundary = "------------------------bench" + n;
		byte[] body = form(boundary, "type", "product", "image", jpeg);
		return HttpRequest.newBuilder(URI.create(origin + "/api/images/"))
			.timeout(Duration.ofSeconds(60))
			.header("Accept", "application/json")
			.header("Authorization", "Bearer " + IntakeProcess.TOKEN)
			.header("X-Api-Version", "12")
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
	}

	private static byte[] form(String boundary, String field, String value, String fileField, byte[] jpeg) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"\r\n\r\n" + value
				+ "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField
				+ "\"; filename=\"image.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
		body.writeBytes(jpeg);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		return body.toByteArray();
	}

	private static int argument(String[] args, String name, int fallback) {
		for (String arg : args) {
			if (arg.startsWith(name + "=")) {
				return Integer.parseInt(arg.substring(name.length() + 1));
			}
		}
		return fallback;
	}

}
