package dev.intake.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.intake.testsupport.TestImages;

/**
 * The benchmark command ({@code ./mvnw -pl bench -am verify -Pbench}, see BENCHMARKS.md): starts
 * the embedded default as a child JVM, runs each scenario with a warm-up and several
 * repetitions, each Intake run paired with a direct PutObject of the same bytes in the same
 * invocation, and prints one table of medians, spreads and ratios.
 */
public final class Bench {

	private static final String MULTIPART_OFF = "300 × 200 KB multipart, renditions off";

	private final Report report = new Report();

	private final boolean quick;

	private final Path workDir;

	private final List<byte[]> small;

	/** The S3 request counts of the Intake process of the phase running, or null when it has none. */
	private S3Requests s3Requests;

	/** Whether the separate-process phase runs with renditions off ({@code separate-off}). */
	private boolean separateOff;

	/**
	 * Images put through Intake after the renditions-off multipart pairs, which then run again, and
	 * in the separate-process phase before its CPU is counted ({@code warm=N}): the JVMs' compilers
	 * are still busy after one warm-up pair, so this shows cold and warm side by side.
	 */
	private int warmImages;

	private Bench(boolean quick, Path workDir) {
		this.quick = quick;
		this.workDir = workDir;
		this.small = TestImages.noisyJpegs(300, 200_000, 1);
	}

	public static void main(String[] args) {
		try {
			run(args);
			System.exit(0);
		}
		catch (Exception | Error ex) {
			// pools of the clients would keep the JVM alive
			ex.printStackTrace();
			System.exit(1);
		}
	}

	private static void run(String[] args) throws Exception {
		boolean quick = List.of(args).contains("--quick") || List.of(args).contains("quick");
		Path workDir = Files.createDirectories(Path.of("bench-run-" + Instant.now().toEpochMilli()).toAbsolutePath());
		Bench bench = new Bench(quick, workDir);
		bench.separateOff = List.of(args).contains("separate-off");
		bench.warmImages = List.of(args)
			.stream()
			.filter(arg -> arg.startsWith("warm="))
			.mapToInt(arg -> Integer.parseInt(arg.substring("warm=".length())))
			.findFirst()
			.orElse(0);
		bench.report.machine("start");
		try {
			if (List.of(args).contains("separate-only")) {
				bench.separateProcesses();
				return;
			}
			if (List.of(args).contains("large-only")) {
				bench.large();
				return;
			}
			if (!List.of(args).contains("no-baseline")) {
				bench.baseline();
			}
			bench.renditionsOff();
			if (!List.of(args).contains("off-only")) {
				bench.renditionsOn();
			}
			if (!List.of(args).contains("no-separate")) {
				bench.separateProcesses();
			}
		}
		finally {
			// what was measured is printed even when a later scenario failed
			bench.report.machine("end");
			String table = bench.report.render();
			System.out.println(table);
			Files.writeString(workDir.resolve("results.md"), table);
			System.out.println("(also in " + workDir.resolve("results.md") + "; logs of Intake beside it)");
		}
	}


	/** Extra JVM options of Intake's process, e.g. a flight recording: {@code BENCH_INTAKE_JVM_OPTS}. */
	private static List<String> intakeJvmOptions() {
		String options = System.getenv("BENCH_INTAKE_JVM_OPTS");
		return (options == null || options.isBlank()) ? List.of() : List.of(options.trim().split("\\s+"));
	}

	/**
	 * JVM options of one part in the separate-process phase: {@code BENCH_INTAKE_JVM_OPTS}, and for
	 * the worker {@code BENCH_WORKER_JVM_OPTS} too (e.g. a flight recording of the worker alone).
	 */
	private static List<String> partJvmOptions(String part) {
		String worker = System.getenv("BENCH_WORKER_JVM_OPTS");
		if (!"worker".equals(part) || worker == null || worker.isBlank()) {
			return intakeJvmOptions();
		}
		return concat(intakeJvmOptions(), List.of(worker.trim().split("\\s+")));
	}

	private int reps(int full) {
		return quick ? 1 : full;
	}

	private void renditionsOff() throws Exception {
		List<byte[]> origin = small;
		try (SlowOrigin slow = new SlowOrigin(origin, 50);
				IntakeProcess intake = IntakeProcess.start(workDir, "renditions-off", intakeJvmOptions(),
						List.of("--intake.worker.renditions.profiles.default=", "--intake.worker.fetch.allow-loopback=true",
								"--intake.worker.fetch.allowed-ports=80,443," + slow.port()));
				ResultTimes results = new ResultTimes("127.0.0.1:" + intake.kafkaPort)) {
			BenchClient client = new BenchClient(intake.baseUrl());
			s3Requests = new S3Requests(intake.s3MetricsPort);
			DirectPut anchor = Anchors.tuned(intake.s3Endpoint(), small, report, quick);
			Stats status = new Stats();
			Stats freshness = new Stats();
			paired(MULTIPART_OFF, anchor, small, reps(3),
					(id, images) -> client.multipart(id, images), client, status, results, freshness);
			if (warmImages > 0) {
				warmUp(client, warmImages);
				paired(MULTIPART_OFF + ", after " + warmImages + " more images", anchor, small, reps(3),
						(id, images) -> client.multipart(id, images), client, null, results, freshness);
			}
			paired("300 × 200 KB Base64 JSON, renditions off", anchor, small, reps(2),
					(id, images) -> client.base64(id, images), client, null, results, freshness);
			ceilings(anchor, reps(3), small, "300 × 200 KB");
			report.latency("status query (public API) of a finished 300-item batch, nothing else running",
					idleLookups(client, batchId(MULTIPART_OFF, 1), 200));
			UrlScenario.run(report, "", client, slow, reps(2), results, freshness,
					UrlScenario.configuredFetchConcurrency());
			UrlScenario.submitLatency(report, client, slow, quick ? 3 : 5);
			report.latency("status query (public API) during 300 × 200 KB runs", status);
			report.latency("last item stored → status shows TASK_SUCCEEDED (poll every " + BatchRun.POLL_MS + " ms)",
					freshness);
			report.note("Submits answered 5xx and sent again, renditions off: " + client.serverErrors.get());
			report.memory("one JVM: broker + S3Proxy + api + worker + status, renditions off (pid " + intake.pid() + ")",
					intake);
			anchor.close();
		}
	}

	/**
	 * Each part of Intake in its own process (broker and S3 together, then status, worker, api),
	 * so the memory of each service is its own: the 300 × 200 KB multipart and Base64 runs with
	 * renditions on (the default), then peak RSS and heap per process.
	 */
	private void separateProcesses() throws Exception {
		s3Requests = null;
		int[] ports = IntakeProcess.freePorts(6);
		String internalToken = java.util.UUID.randomUUID().toString();
		Path dir = Files.createDirectories(workDir.resolve("separate"));
		List<IntakeProcess> parts = new java.util.ArrayList<>();
		try {
			for (String part : List.of("backends", "status", "worker", "api")) {
				List<String> overrides = (separateOff && "worker".equals(part))
						? List.of("--intake.worker.renditions.profiles.default=") : List.of();
				parts.add(IntakeProcess.startPart(dir, part, ports, internalToken, partJvmOptions(part), overrides));
			}
			IntakeProcess api = parts.get(3);
			try (ResultTimes results = new ResultTimes("127.0.0.1:" + api.kafkaPort)) {
				BenchClient client = new BenchClient(api.baseUrl());
				DirectPut anchor = new DirectPut(api.s3Endpoint(), report.anchorConcurrency());
				Stats freshness = new Stats();
				List<String> names = List.of("broker + S3Proxy", "status-service", "worker-service", "api-service");
				String renditions = separateOff ? "renditions off" : "renditions on";
				if (warmImages > 0) {
					// the CPU of the warm-up apart: what the services cost while their JIT compiles
					double[] cold = cpuSeconds(parts);
					warmUp(client, warmImages);
					report.note(cpuPerImage("Separate processes, warm-up only, CPU-seconds per image (" + warmImages
							+ " images, " + renditions + "):", names, parts, cold, warmImages));
				}
				double[] cpu = cpuSeconds(parts);
				paired("separate processes: 300 × 200 KB multipart, " + renditions, anchor, small, reps(2),
						(id, images) -> client.multipart(id, images), client, null, results, freshness);
				paired("separate processes: 300 × 200 KB Base64 JSON, " + renditions, anchor, small, reps(2),
						(id, images) -> client.base64(id, images), client, null, results, freshness);
				// every image of both scenarios, warm-ups included; the anchor's PUTs cost S3Proxy CPU too
				int images = (reps(2) + 1) * 2 * small.size();
				report.note(cpuPerImage("Separate processes, CPU-seconds per image (from /proc/<pid>/stat, " + images
						+ " images, " + renditions + ((warmImages > 0) ? ", after the warm-up" : "")
						+ ", direct PUTs of the same count counted in S3Proxy's):", names, parts, cpu, images));
				anchor.close();
			}
			List<String> names = List.of("broker + S3Proxy", "status-service", "worker-service", "api-service");
			for (int i = 0; i < parts.size(); i++) {
				report.memory("separate process: " + names.get(i) + " (pid " + parts.get(i).pid() + ")", parts.get(i));
			}
		}
		finally {
			// the services before the broker and S3 they depend on
			for (int i = parts.size() - 1; i >= 0; i--) {
				parts.get(i).close();
			}
		}
	}

	/**
	 * The settings before BENCHMARKS.md's "make it fast" changes, given as overrides, so every
	 * invocation shows before and after side by side on the same machine state.
	 */
	static final List<String> BEFORE = List.of("--intake.worker.jobs.concurrency=2",
			"--spring.kafka.producer.properties.linger.ms=5", "--intake.status.read-your-writes-poll-interval=25ms",
			"--intake.upload.max-buffered-uploads=0", "--spring.kafka.streams.state-store-cache-max-size=0");

	private void baseline() throws Exception {
		try (SlowOrigin slow = new SlowOrigin(small, 50);
				IntakeProcess intake = IntakeProcess.start(workDir, "before", intakeJvmOptions(),
						Bench.concat(List.of("--intake.worker.renditions.profiles.default=", "--intake.worker.fetch.allow-loopback=true",
								"--intake.worker.fetch.allowed-ports=80,443," + slow.port()), BEFORE));
				ResultTimes results = new ResultTimes("127.0.0.1:" + intake.kafkaPort)) {
			BenchClient client = new BenchClient(intake.baseUrl());
			s3Requests = new S3Requests(intake.s3MetricsPort);
			DirectPut anchor = new DirectPut(intake.s3Endpoint(), 32);
			Stats status = new Stats();
			Stats freshness = new Stats();
			paired("BEFORE: 300 × 200 KB multipart, renditions off", anchor, small, reps(2),
					(id, images) -> client.multipart(id, images), client, status, results, freshness);
			UrlScenario.run(report, "BEFORE: ", client, slow, reps(1), results, freshness, 2);
			report.latency("BEFORE: status query during 300 × 200 KB runs", status);
			report.latency("BEFORE: last item stored → status shows TASK_SUCCEEDED", freshness);
			report.note("Submits answered 5xx and sent again, before: " + client.serverErrors.get());
			report.memory("BEFORE: one JVM, renditions off (pid " + intake.pid() + ")", intake);
			anchor.close();
		}
	}

	/** The 20 × 10 MB pictures of the large-image rows (fixed seed). */
	private static List<byte[]> largeImages() {
		return TestImages.noisyJpegs(20, 9_500_000, 2);
	}

	/**
	 * The large-image rows alone ({@code large-only}): 20 × 10 MB with renditions off, the write-once
	 * ceiling for the same pictures, then with renditions on, each Intake's CPU-seconds per image
	 * in the notes: what a large upload costs apart from its renditions.
	 */
	private void large() throws Exception {
		List<byte[]> big = largeImages();
		for (boolean renditions : new boolean[] { false, true }) {
			String label = renditions ? "renditions on (default)" : "renditions off";
			List<String> overrides = renditions ? List.of() : List.of("--intake.worker.renditions.profiles.default=");
			try (IntakeProcess intake = IntakeProcess.start(workDir, renditions ? "large-on" : "large-off",
					intakeJvmOptions(), overrides);
					ResultTimes results = new ResultTimes("127.0.0.1:" + intake.kafkaPort)) {
				BenchClient client = new BenchClient(intake.baseUrl());
				s3Requests = new S3Requests(intake.s3MetricsPort);
				DirectPut anchor = new DirectPut(intake.s3Endpoint(), report.anchorConcurrency());
				String name = "20 × 10 MB multipart, " + label;
				if (warmImages > 0) {
					// compiled code first: 20 images a pair is far too little for the JIT to finish
					warmUp(client, warmImages);
					for (int batch = 0; batch < 5; batch++) {
						String id = batchId("warm large", batch);
						BatchRun.run(client, List.of(client.multipart(id, TestImages.variants(big, id))), null);
					}
					// the batch ids come from the name, at most 64 characters
					name += ", warm";
					report.note(name + ": after " + warmImages + " images of 200 KB and 100 of 10 MB");
				}
				double cpu = intake.cpuSeconds();
				paired(name, anchor, big, reps(3), (id, images) -> client.multipart(id, images), client, null,
						results, new Stats());
				// every image put through Intake, the warm-up pair's included; the anchor's PUTs too
				report.note(String.format(Locale.ROOT,
						"%s: CPU-seconds per image of the one JVM (broker, S3Proxy and the direct PUTs of the same"
								+ " count included): %.3f",
						name, (intake.cpuSeconds() - cpu) / ((reps(3) + 1) * big.size())));
				if (!renditions) {
					ceilings(anchor, reps(3), big, "20 × 10 MB");
				}
				anchor.close();
			}
		}
	}

	private void renditionsOn() throws Exception {
		List<byte[]> big = largeImages();
		try (IntakeProcess intake = IntakeProcess.start(workDir, "renditions-on", intakeJvmOptions(),
				List.of("--intake.worker.fetch.allow-loopback=true"));
				ResultTimes results = new ResultTimes("127.0.0.1:" + intake.kafkaPort)) {
			BenchClient client = new BenchClient(intake.baseUrl());
			s3Requests = new S3Requests(intake.s3MetricsPort);
			DirectPut anchor = new DirectPut(intake.s3Endpoint(), report.anchorConcurrency());
			Stats freshness = new Stats();
			paired("300 × 200 KB multipart, renditions on (default)", anchor, small, reps(2),
					(id, images) -> client.multipart(id, images), client, null, results, freshness);
			paired("20 × 10 MB multipart, renditions on (default)", anchor, big, reps(2),
					(id, images) -> client.multipart(id, images), client, null, results, freshness);
			report.note("Submits answered 5xx and sent again, renditions on: " + client.serverErrors.get());
			report.memory("one JVM, renditions on (pid " + intake.pid() + ")", intake);
			anchor.close();
		}
	}

	/**
	 * The ceiling of each design of the claim check on this machine: direct PUT paired with that
	 * design's fewest S3 requests alone ({@link DirectPut#sequenceAll}), same images, same client,
	 * alternating order; the ratio is the most an Intake that spent nothing of its own could reach
	 * with that design.
	 */
	private void ceilings(DirectPut anchor, int reps, List<byte[]> base, String label) throws Exception {
		for (DirectPut.Sequence sequence : DirectPut.Sequence.values()) {
			Stats floorRate = new Stats();
			Stats anchorRate = new Stats();
			Stats ratio = new Stats();
			for (int rep = 0; rep <= reps; rep++) {
				String id = "ceiling-" + sequence.name().toLowerCase(Locale.ROOT) + "-" + rep;
				List<byte[]> images = TestImages.variants(base, id);
				double anchorSeconds = 0;
				double floorSeconds;
				if (rep % 2 == 0) {
					anchorSeconds = anchor.putAll(id, images);
				}
				floorSeconds = anchor.sequenceAll(sequence, id, images);
				if (rep % 2 == 1) {
					anchorSeconds = anchor.putAll(id, images);
				}
				System.out.printf(Locale.ROOT, "%s ceiling (%s) rep %d%s: %.2f s, direct PUT %.2f s%n",
						java.time.LocalTime.now(), sequence.requests, rep, (rep == 0) ? " (warm-up)" : "",
						floorSeconds, anchorSeconds);
				if (rep > 0) {
					floorRate.add(images.size() / floorSeconds);
					anchorRate.add(images.size() / anchorSeconds);
					ratio.add(anchorSeconds / floorSeconds);
				}
			}
			report.paired("CEILING, no Intake: " + sequence.requests + " alone for " + label, floorRate,
					anchorRate, ratio);
		}
	}

	/**
	 * {@code count} look-ups of one finished batch, one after another, with no batch in
	 * progress: what the look-up path itself costs, against the same look-ups under load.
	 */
	private static Stats idleLookups(BenchClient client, String batchId, int count) throws Exception {
		for (int i = 0; i < 20; i++) {
			client.status(batchId);
		}
		Stats millis = new Stats();
		for (int i = 0; i < count; i++) {
			BenchClient.Lookup lookup = client.lookUp(batchId);
			millis.add(lookup.millis());
			if (!"TASK_SUCCEEDED".equals(lookup.status())) {
				throw new IllegalStateException("batch " + batchId + " answered " + lookup.status());
			}
		}
		return millis;
	}

	/** The batch id of a scenario's repetition. */
	static String batchId(String scenario, int rep) {
		return scenario.replaceAll("[^a-zA-Z0-9]+", "-").toLowerCase(Locale.ROOT) + "-" + rep;
	}

	static <T> List<T> concat(List<T> a, List<T> b) {
		List<T> all = new java.util.ArrayList<>(a);
		all.addAll(b);
		return all;
	}

	interface SubmitMaker {

		BenchClient.Submit make(String batchId, List<byte[]> images);

	}

	private static double[] cpuSeconds(List<IntakeProcess> parts) throws Exception {
		double[] cpu = new double[parts.size()];
		for (int i = 0; i < parts.size(); i++) {
			cpu[i] = parts.get(i).cpuSeconds();
		}
		return cpu;
	}

	private static String cpuPerImage(String title, List<String> names, List<IntakeProcess> parts, double[] since,
			int images) throws Exception {
		StringBuilder perImage = new StringBuilder(title);
		for (int i = 0; i < parts.size(); i++) {
			perImage.append(String.format(Locale.ROOT, " %s %.4f;", names.get(i),
					(parts.get(i).cpuSeconds() - since[i]) / images));
		}
		return perImage.toString();
	}

	/** Puts {@code count} images through Intake, 300 × 200 KB multipart batches one after another. */
	private void warmUp(BenchClient client, int count) throws Exception {
		long started = System.nanoTime();
		for (int done = 0, batch = 0; done < count; done += small.size(), batch++) {
			String id = batchId("warm", batch);
			BatchRun.run(client, List.of(client.multipart(id, TestImages.variants(small, id))), null);
		}
		System.out.printf(Locale.ROOT, "%s warm-up: %d images in %.1f s%n", java.time.LocalTime.now(), count,
				(System.nanoTime() - started) / 1e9);
	}

	/**
	 * Warm-up, then {@code reps} pairs of (direct PUT, Intake) of the same images in alternating
	 * order; each pair gives one ratio.
	 */
	private void paired(String name, DirectPut anchor, List<byte[]> base, int reps, SubmitMaker maker,
			BenchClient client, Stats status, ResultTimes results, Stats freshness) throws Exception {
		Stats intakeRate = new Stats();
		Stats anchorRate = new Stats();
		Stats ratio = new Stats();
		Map<String, Long> requests = new TreeMap<>();
		int counted = 0;
		for (int rep = 0; rep <= reps; rep++) {
			String id = batchId(name, rep);
			List<byte[]> images = TestImages.variants(base, id);
			BenchClient.Submit submit = maker.make(id, images);
			double anchorSeconds = 0;
			if (rep % 2 == 0) {
				anchorSeconds = anchor.putAll(id, images);
			}
			Map<String, Long> before = (s3Requests != null) ? s3Requests.counts() : null;
			BatchRun run = BatchRun.run(client, List.of(submit), (rep > 0) ? status : null);
			if (s3Requests != null && rep > 0) {
				// the server's count of this run alone: the anchor's PUTs come before it or after this
				S3Requests.difference(before, s3Requests.settled())
					.forEach((operation, count) -> requests.merge(operation, count, Long::sum));
				counted += images.size();
			}
			if (rep % 2 == 1) {
				anchorSeconds = anchor.putAll(id, images);
			}
			System.out.printf(Locale.ROOT, "%s %s rep %d%s: intake %.2f s (submit %.2f s), direct PUT %.2f s%n",
					java.time.LocalTime.now(), name, rep, (rep == 0) ? " (warm-up)" : "", run.seconds,
					run.submitMillis.get(0) / 1000, anchorSeconds);
			if (rep > 0) {
				intakeRate.add(images.size() / run.seconds);
				anchorRate.add(images.size() / anchorSeconds);
				ratio.add(anchorSeconds / run.seconds);
				run.addFreshness(results, freshness);
			}
		}
		report.paired(name, intakeRate, anchorRate, ratio);
		if (counted > 0) {
			report.s3Requests(name, requests, counted);
		}
	}

}
