package dev.intake.bench;

import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * URL items from the loopback {@link SlowOrigin}: 1,000 items (four batches, at most 300 each)
 * whose every fetch takes 50 ms, against the ideal the worker's configured fetch concurrency
 * allows; and the latency of submitting 300 URL items.
 */
final class UrlScenario {

	private static final int ITEMS = 1000;

	private static final double LATENCY_SECONDS = 0.05;

	private UrlScenario() {
	}

	static void run(Report report, String label, BenchClient client, SlowOrigin origin, int reps, ResultTimes results,
			Stats freshness, int concurrency) throws Exception {
		double ideal = concurrency / LATENCY_SECONDS;
		Stats rate = new Stats();
		Stats ratio = new Stats();
		int maxInFlight = 0;
		for (int rep = 0; rep <= reps; rep++) {
			int items = (rep == 0) ? 100 : ITEMS;
			List<BenchClient.Submit> submits = new ArrayList<>();
			for (int from = 0; from < items; from += 300) {
				List<String> urls = new ArrayList<>();
				for (int i = from; i < Math.min(items, from + 300); i++) {
					urls.add(origin.url("slow", label.length() * 1_000_000 + rep * 100_000 + i));
				}
				submits.add(client.urls(label.replaceAll("\\W", "") + "url-" + rep + "-" + from, urls));
			}
			origin.takeMaxInFlight();
			BatchRun run = BatchRun.run(client, submits, null);
			int inFlight = origin.takeMaxInFlight();
			System.out.printf(Locale.ROOT, "%s URL %d items rep %d%s: %.2f s, max fetches in flight %d%n", label, items, rep,
					(rep == 0) ? " (warm-up)" : "", run.seconds, inFlight);
			if (rep > 0) {
				rate.add(items / run.seconds);
				ratio.add(items / run.seconds / ideal);
				maxInFlight = Math.max(maxInFlight, inFlight);
				run.addFreshness(results, freshness);
			}
		}
		report.url(label + "1,000 URL items, origin adds 50 ms (renditions off)", rate, ideal,
				ratio, String.format(Locale.ROOT, "ideal = %d fetches at once / 50 ms; most seen in flight: %d",
						concurrency, maxInFlight));
	}

	static void submitLatency(Report report, BenchClient client, SlowOrigin origin, int submits) throws Exception {
		Stats latency = new Stats();
		List<BenchClient.Submit> all = new ArrayList<>();
		for (int s = 0; s < submits; s++) {
			List<String> urls = new ArrayList<>();
			for (int i = 0; i < 300; i++) {
				urls.add(origin.url("fast", 1_000_000 + s * 1000 + i));
			}
			all.add(client.urls("submit-latency-" + s, urls));
		}
		BatchRun run = BatchRun.run(client, all, null);
		run.submitMillis.forEach(latency::add);
		report.latency("submit of 300 URL items (" + submits + " submits back to back)", latency);
	}

	/**
	 * Fetches at once a worker allows one origin host: the least of its fetch limits and its
	 * consumer threads (each thread processes one job at a time), as the worker's properties
	 * records default them (read from its configuration metadata).
	 */
	static int configuredFetchConcurrency() throws Exception {
		Map<String, Integer> defaults = new HashMap<>();
		ObjectMapper json = JsonMapper.builder().build();
		for (URL url : Collections.list(
				UrlScenario.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				for (JsonNode property : json.readTree(in).path("properties")) {
					JsonNode value = property.get("defaultValue");
					if (value != null && value.isInt()) {
						defaults.put(property.get("name").asString(), value.intValue());
					}
				}
			}
		}
		int maxConcurrent = defaults.get("intake.worker.fetch.max-concurrent");
		int maxPerHost = defaults.get("intake.worker.fetch.max-per-host");
		int threads = defaults.get("intake.worker.jobs.concurrency");
		return Math.min(Math.min(maxConcurrent, maxPerHost), threads);
	}

}
