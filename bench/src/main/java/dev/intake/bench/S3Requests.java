package dev.intake.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The S3 requests Intake's S3 server received, counted by the server itself
 * ({@code INTAKE_S3_METRICS_PORT}, see the launcher's {@code S3RequestCounts}): one count per S3
 * operation, read as {@code <Operation> <count>} lines from {@code /s3-requests}.
 */
final class S3Requests {

	private static final Pattern COUNT = Pattern.compile("^(\\w+) (\\d+)$");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final URI metrics;

	S3Requests(int metricsPort) {
		this.metrics = URI.create("http://127.0.0.1:" + metricsPort + "/s3-requests");
	}

	/** Requests answered so far, by S3 operation. */
	Map<String, Long> counts() throws IOException, InterruptedException {
		String text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
		return parse(text);
	}

	/**
	 * Counts once they stop changing (the worker's last deletes go out a little after the batch
	 * shows done): two reads {@code 500 ms} apart that agree, or the last read after 15 s.
	 */
	Map<String, Long> settled() throws IOException, InterruptedException {
		Map<String, Long> last = counts();
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (System.nanoTime() < deadline) {
			Thread.sleep(500);
			Map<String, Long> next = counts();
			if (next.equals(last)) {
				return next;
			}
			last = next;
		}
		return last;
	}

	static Map<String, Long> parse(String text) {
		Map<String, Long> counts = new TreeMap<>();
		for (String line : text.split("\n")) {
			Matcher count = COUNT.matcher(line.trim());
			if (count.matches()) {
				counts.merge(count.group(1), Long.parseLong(count.group(2)), Long::sum);
			}
		}
		return counts;
	}

	/** {@code after - before}, per operation, leaving out operations with no requests in between. */
	static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
		Map<String, Long> difference = new TreeMap<>();
		after.forEach((operation, count) -> {
			long delta = count - before.getOrDefault(operation, 0L);
			if (delta > 0) {
				difference.put(operation, delta);
			}
		});
		return difference;
	}

}
