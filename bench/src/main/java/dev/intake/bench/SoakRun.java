package dev.intake.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The soak ({@code bench/scripts/soak.sh [minutes] [restart-every-minutes]}, see BENCHMARKS.md):
 * the broker with S3Proxy, the status-service, the api-service and two worker-services, each in
 * its own process; a steady mix of multipart, Base64, URL and ZIP batches with 5 % hostile files;
 * the second worker restarted every few minutes (SIGTERM, once SIGKILL). Every minute each
 * process's heap after a full GC, open file descriptors and RSS are sampled. At the end it checks
 * that every accepted item is in exactly one final state (the one its file calls for), that heap
 * after GC and descriptors of each service grew by at most 10 % from the first minutes to the
 * last, and that no staged object is older than its window; exits 1 when a check fails.
 */
public final class SoakRun {

	/** The sweeper's window for staged objects in the soak (the default is days; a soak must see it act). */
	static final Duration STAGED_MAX_AGE = Duration.ofMinutes(10);

	static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

	/**
	 * The status-service's record cache in the soak. The store keeps the latest value of the batches
	 * updated last, finished ones too, until the cache is full; the service's 16 MB (half of it for
	 * the progress store, see BENCHMARKS.md "Soak") take about 300 of the soak's batches, an hour at
	 * its pace, so heap after GC would grow through the whole run. This one is full after the
	 * warm-up, so growth the check sees is something else.
	 */
	static final String STATUS_RECORD_CACHE = "1MB";

	/** The status-service's memory for finished batches' answers in the soak, with a small record cache. */
	private static final String FINISHED_ANSWERS = "256KB";

	/** Most growth of heap after GC and of open descriptors, first minutes to last, that counts as flat. */
	static final double FLAT = 0.10;

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final double minutes;

	private final double restartEvery;

	private final double batchSeconds;

	private final int maxPending;

	private final Path workDir;

	private final List<Slot> slots = new ArrayList<>();

	private final List<ProcessSample> samples = Collections.synchronizedList(new ArrayList<>());

	private final List<String> events = Collections.synchronizedList(new ArrayList<>());

	private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

	private final List<String> loads = Collections.synchronizedList(new ArrayList<>());

	/** The flatness table's rows, one per process. */
	private final List<String> rows = new ArrayList<>();

	/** Heap histograms of the processes that run throughout, by slot name: taken at the first sample, and when the load stops. */
	private final Map<String, Histograms> histograms = Collections.synchronizedMap(new LinkedHashMap<>());

	private final AtomicBoolean firstHistogramsTaken = new AtomicBoolean();

	/** Classes listed per process in the report's histogram comparison. */
	private static final int GROWN_CLASSES = 10;

	private long startNanos;

	/** One service position; the process in it changes when it is restarted. */
	private static final class Slot {

		final String name;

		final boolean checked;

		/** Whether one process runs in this slot throughout, so that its heap histograms are compared. */
		final boolean histogram;

		volatile IntakeProcess process;

		/** The GC log of the process in this slot. */
		volatile Path gcLog;

		volatile double startedMinute;

		volatile int incarnation = 1;

		Slot(String name, boolean checked, boolean histogram) {
			this.name = name;
			this.checked = checked;
			this.histogram = histogram;
		}

		/** Starts {@code part} with its log and GC log under {@code home/<part>/}, into this slot. */
		Slot start(Path home, String part, int[] ports, String internalToken, List<String> jvm, List<String> overrides)
				throws Exception {
			IntakeProcess started = IntakeProcess.startPart(home, part, ports, internalToken, jvm, overrides);
			gcLog = home.resolve(part).resolve("gc.log");
			process = started;
			return this;
		}

	}

	/** Minutes of load before the soak's clock starts (the first window is after it). */
	private final double warmup;

	private volatile boolean stopping;

	/**
	 * The status-service's record cache ({@code spring.kafka.streams.state-store-cache-max-size}) in
	 * the soak, or null for the service's own setting.
	 */
	private final String statusRecordCache;

	private SoakRun(double minutes, double restartEvery, double warmup, double batchSeconds, int maxPending,
			String statusRecordCache, Path workDir) {
		this.minutes = minutes;
		this.statusRecordCache = statusRecordCache;
		this.warmup = warmup;
		this.restartEvery = restartEvery;
		this.batchSeconds = batchSeconds;
		this.maxPending = maxPending;
		this.workDir = workDir;
	}

	public static void main(String[] args) {
		try {
			double minutes = (args.length > 0) ? Double.parseDouble(args[0]) : 30;
			double restartEvery = (args.length > 1) ? Double.parseDouble(args[1]) : 5;
			double batchSeconds = Double.parseDouble(System.getenv().getOrDefault("SOAK_BATCH_SECONDS", "6"));
			int maxPending = Integer.parseInt(System.getenv().getOrDefault("SOAK_MAX_PENDING", "10"));
			double warmup = Double.parseDouble(System.getenv().getOrDefault("SOAK_WARMUP_MINUTES", "2"));
			// small enough to be full after the warm-up: the default (16 MB) fills for an hour at this pace
			String statusRecordCache = System.getenv().getOrDefault("SOAK_STATUS_RECORD_CACHE", STATUS_RECORD_CACHE);
			Path workDir = Files.createDirectories(Path.of("target", "soak-" + Instant.now().toEpochMilli()).toAbsolutePath());
			boolean passed = new SoakRun(minutes, restartEvery, warmup, batchSeconds, maxPending,
					(statusRecordCache == null || statusRecordCache.isBlank()) ? null : statusRecordCache, workDir).run();
			System.exit(passed ? 0 : 1);
		}
		catch (Exception | Error ex) {
			ex.printStackTrace();
			System.exit(2);
		}
	}

	private boolean run() throws Exception {
		loads.add("start " + loadAverage());
		int[] ports = IntakeProcess.freePorts(6);
		int[] secondWorker = ports.clone();
		secondWorker[2] = IntakeProcess.freePorts(1)[0];
		String internalToken = UUID.randomUUID().toString();
		String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
		System.out.println("Soak of " + minutes + " min after " + warmup + " min of warm-up, a worker restarted every "
				+ restartEvery + " min, a batch of " + SoakLoad.ITEMS + " every " + batchSeconds + " s (at most " + maxPending
				+ " unfinished); status record cache " + ((statusRecordCache != null) ? statusRecordCache : "as configured")
				+ "; logs under " + workDir);
		try (SoakLoad load = new SoakLoad("http://127.0.0.1:" + ports[0] + "/v1")) {
			List<String> overrides = List.of("--intake.worker.fetch.allow-loopback=true",
					"--intake.worker.fetch.allowed-ports=80,443," + load.originPort(),
					"--intake.worker.sweeper.staged-max-age=" + STAGED_MAX_AGE.toSeconds() + "s",
					"--intake.worker.sweeper.interval=" + SWEEP_INTERVAL.toSeconds() + "s");
			List<String> serviceJvm = List.of("-Xmx512m");
			try {
				// one after another: side by side they take longer than the launcher waits on a loaded machine
				slots.add(new Slot("broker + S3Proxy", false, false).start(workDir, "backends", ports, internalToken,
						List.of("-Xmx1g"), overrides));
				List<String> statusOverrides = new ArrayList<>(overrides);
				if (statusRecordCache != null) {
					statusOverrides.add("--spring.kafka.streams.state-store-cache-max-size=" + statusRecordCache);
					// the finished answers kept for look-ups (~18KB per 20-item batch here): full after the warm-up too
					statusOverrides.add("--intake.status.finished-answers-size=" + FINISHED_ANSWERS);
				}
				slots.add(new Slot("status-service", true, true).start(workDir, "status", ports, internalToken, serviceJvm,
						statusOverrides));
				slots.add(new Slot("api-service", true, true).start(workDir, "api", ports, internalToken, serviceJvm, overrides));
				slots.add(new Slot("worker-service 1", true, true).start(workDir.resolve("worker-1"), "worker", ports,
						internalToken, serviceJvm, overrides));
				slots.add(new Slot("worker-service 2 (restarted)", true, false).start(workDir.resolve("worker-2-1"), "worker",
						secondWorker, internalToken, serviceJvm, overrides));
				System.out.println(Instant.now() + " all parts ready: " + describePids());
				startNanos = System.nanoTime();
				Map<String, SoakLoad.Batch> accepted = drive(load, runId, secondWorker, internalToken, serviceJvm, overrides);
				checkFinalStates(accepted);
				checkStaged(ports[5], ports[1], internalToken);
				checkFlat();
			}
			finally {
				loads.add("end " + loadAverage());
				for (int i = slots.size() - 1; i >= 0; i--) {
					IntakeProcess process = slots.get(i).process;
					if (process != null) {
						process.close();
					}
				}
			}
		}
		String report = report();
		System.out.println(report);
		Files.writeString(workDir.resolve("soak-report.md"), report);
		writeSamples();
		return failures.isEmpty();
	}

	/** Submits batches at a steady pace until the soak's time is up while the scheduler samples and restarts; then drains. */
	private Map<String, SoakLoad.Batch> drive(SoakLoad load, String runId, int[] workerPorts, String internalToken,
			List<String> jvm, List<String> overrides) throws Exception {
		long loadStart = System.nanoTime();
		startNanos = loadStart + Math.round(warmup * 60e9);
		long warmupMillis = Math.round(warmup * 60_000);
		slots.forEach(slot -> slot.startedMinute = -warmup);
		ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
		sampler.scheduleAtFixedRate(this::sampleAll, warmupMillis + 60_000, 60_000, TimeUnit.MILLISECONDS);
		// one restart at a time: one that starts late (the last took long) runs after it
		ScheduledThreadPoolExecutor restarter = new ScheduledThreadPoolExecutor(1);
		restarter.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		int restarts = (int) Math.ceil(minutes / restartEvery) - 1;
		int killAt = Math.min(3, restarts);
		for (int k = 1; k <= restarts; k++) {
			boolean kill = (k == killAt);
			int incarnation = k + 1;
			restarter.schedule(() -> restartWorker(slots.get(4), kill, incarnation, workerPorts, internalToken, jvm,
					overrides), warmupMillis + Math.round(k * restartEvery * 60_000), TimeUnit.MILLISECONDS);
		}
		BenchClient client = new BenchClient(slots.get(2).process.baseUrl());
		Map<String, SoakLoad.Batch> accepted = new LinkedHashMap<>();
		Set<String> pending = new HashSet<>();
		long end = startNanos + Math.round(minutes * 60e9);
		long nextSubmit = loadStart;
		long nextPoll = loadStart;
		int waitedForBacklog = 0;
		try {
			while (System.nanoTime() < end) {
				long now = System.nanoTime();
				if (now >= nextSubmit) {
					if (pending.size() < maxPending) {
						SoakLoad.Batch batch = load.next(runId);
						try {
							client.send(batch.submit());
							accepted.put(batch.batchId(), batch.sent());
							pending.add(batch.batchId());
						}
						catch (IllegalStateException refused) {
							failures.add("a submit was refused: " + refused.getMessage());
						}
						nextSubmit = Math.max(nextSubmit + Math.round(batchSeconds * 1e9), System.nanoTime());
					}
					else {
						waitedForBacklog++;
						nextSubmit = now + 1_000_000_000L;
					}
				}
				if (now >= nextPoll) {
					poll(pending);
					nextPoll = System.nanoTime() + 2_000_000_000L;
				}
				Thread.sleep(200);
			}
			events.add(String.format(Locale.ROOT, "%.1f min: load stopped; %d batches accepted, %d unfinished; "
					+ "a submit waited for the backlog %d times", minute(), accepted.size(), pending.size(), waitedForBacklog));
			takeHistograms(false);
			long drainEnd = System.nanoTime() + Duration.ofMinutes(10).toNanos();
			while (!pending.isEmpty() && System.nanoTime() < drainEnd) {
				poll(pending);
				Thread.sleep(2000);
			}
			events.add(String.format(Locale.ROOT, "%.1f min: drained; %d batches unfinished", minute(), pending.size()));
			if (!pending.isEmpty()) {
				failures.add(pending.size() + " batches not finished 10 minutes after the load stopped: " + pending);
			}
			if (client.serverErrors.get() > 0) {
				failures.add(client.serverErrors.get() + " submits answered 5xx");
			}
		}
		finally {
			restarter.shutdown();
			// a restart under way finishes, so that every process is stopped in order at the end
			restarter.awaitTermination(6, TimeUnit.MINUTES);
			stopping = true;
			sampler.shutdownNow();
			sampler.awaitTermination(3, TimeUnit.MINUTES);
		}
		return accepted;
	}

	private void poll(Set<String> pending) throws Exception {
		for (String batchId : List.copyOf(pending)) {
			JsonNode data = status(batchId);
			if (data != null && "TASK_SUCCEEDED".equals(data.get("status").asString())) {
				pending.remove(batchId);
			}
		}
	}

	/** The status API's {@code data} of a batch, or null when it answers other than 200. */
	private JsonNode status(String batchId) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(slots.get(2).process.baseUrl() + "/batch-upload/status/" + batchId))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + IntakeProcess.TOKEN)
			.GET()
			.build();
		HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
		return (response.statusCode() == 200) ? json.readTree(response.body()).get("data") : null;
	}

	/** Samples every process at once (jcmd takes seconds each on a loaded machine), one thread each. */
	private void sampleAll() {
		loads.add(String.format(Locale.ROOT, "%.1f min %s", minute(), loadAverage()));
		List<Thread> threads = new ArrayList<>();
		for (Slot slot : slots) {
			Thread thread = new Thread(() -> sample(slot), "soak-sample");
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		if (firstHistogramsTaken.compareAndSet(false, true)) {
			takeHistograms(true);
		}
	}

	/** The heap histograms of the first and the last look, of one process. */
	private static final class Histograms {

		volatile HeapHistogram first;

		volatile double firstMinute;

		volatile HeapHistogram last;

		volatile double lastMinute;

	}

	/**
	 * {@code jcmd <pid> GC.class_histogram} (live objects, after a full collection) of each process
	 * that runs throughout, written to {@code histogram-<first|last>-<process>.txt} in the run's
	 * directory and kept for the report's comparison.
	 */
	private void takeHistograms(boolean first) {
		String label = first ? "first" : "last";
		for (Slot slot : slots) {
			IntakeProcess process = slot.process;
			if (!slot.histogram || process == null) {
				continue;
			}
			double minute = minute();
			try {
				String text = ProcessSample.jcmd(process.pid(), "GC.class_histogram");
				Files.writeString(workDir.resolve("histogram-" + label + "-" + slug(slot.name) + ".txt"), text);
				Histograms mine = histograms.computeIfAbsent(slot.name, name -> new Histograms());
				if (first) {
					mine.first = HeapHistogram.parse(text);
					mine.firstMinute = minute;
				}
				else {
					mine.last = HeapHistogram.parse(text);
					mine.lastMinute = minute;
				}
			}
			catch (Exception ex) {
				// the histograms explain a failed check; they are no check themselves
				events.add(String.format(Locale.ROOT, "%.1f min: no %s heap histogram of %s: %s", minute, label, slot.name, ex));
			}
		}
	}

	private static String slug(String name) {
		return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
	}

	private void sample(Slot slot) {
		IntakeProcess process = slot.process;
		if (process == null) {
			return;
		}
		double minute = minute();
		try {
			samples.add(ProcessSample.take(slot.name + "#" + slot.incarnation, process.pid(), slot.gcLog, minute,
					minute - slot.startedMinute));
		}
		catch (Exception ex) {
			// a process being restarted, or the soak ending, is no failure
			if (slot.process == process && !stopping) {
				failures.add(String.format(Locale.ROOT, "%.1f min: sampling %s (pid %d) failed: %s", minute, slot.name,
						process.pid(), ex));
			}
		}
	}

	private void restartWorker(Slot slot, boolean kill, int incarnation, int[] ports, String internalToken,
			List<String> jvm, List<String> overrides) {
		IntakeProcess old = slot.process;
		double begin = minute();
		try {
			slot.process = null;
			// null when the restart before this one failed to start its process
			if (old != null) {
				if (kill) {
					ProcessHandle.of(old.pid()).ifPresent(ProcessHandle::destroyForcibly);
				}
				old.close();
			}
			double stopped = minute();
			slot.incarnation = incarnation;
			slot.start(workDir.resolve("worker-2-" + incarnation), "worker", ports, internalToken, jvm, overrides);
			slot.startedMinute = minute();
			IntakeProcess fresh = slot.process;
			events.add(String.format(Locale.ROOT, "%.1f min: worker 2 pid %d stopped with %s in %.1f s; pid %d ready %.1f s later",
					begin, (old != null) ? old.pid() : -1, kill ? "SIGKILL" : "SIGTERM", (stopped - begin) * 60, fresh.pid(),
					(slot.startedMinute - stopped) * 60));
		}
		catch (Exception ex) {
			failures.add(String.format(Locale.ROOT, "%.1f min: restarting worker 2 failed: %s", begin, ex));
		}
	}

	/** Every item of every accepted batch is in exactly one final state, and the one its file calls for. */
	private void checkFinalStates(Map<String, SoakLoad.Batch> accepted) throws Exception {
		Map<SoakLoad.Kind, int[]> byKind = new EnumMap<>(SoakLoad.Kind.class);
		int items = 0;
		int stored = 0;
		int failed = 0;
		List<String> wrong = new ArrayList<>();
		Map<String, Integer> codes = new java.util.TreeMap<>();
		for (SoakLoad.Batch batch : accepted.values()) {
			byKind.computeIfAbsent(batch.kind(), k -> new int[1])[0]++;
			JsonNode data = status(batch.batchId());
			if (data == null) {
				wrong.add(batch.batchId() + ": no status");
				continue;
			}
			int total = data.get("total_count").asInt();
			JsonNode results = data.get("results");
			Set<Integer> indexes = new HashSet<>();
			int succeeded = 0;
			int itemFailed = 0;
			for (JsonNode result : results) {
				int index = result.get("index").asInt();
				if (!indexes.add(index) || index < 0 || index >= total) {
					wrong.add(batch.batchId() + ": index " + index + " reported twice or out of range");
				}
				String status = result.get("status").asString();
				String name = result.get("image_name").asString();
				Boolean expectStored = batch.expectedStored().get(name);
				if ("TASK_SUCCEEDED".equals(status)) {
					succeeded++;
				}
				else if ("TASK_FAILED".equals(status)) {
					itemFailed++;
					codes.merge(result.path("error_code").asString("?"), 1, Integer::sum);
				}
				else {
					wrong.add(batch.batchId() + " item " + index + ": state " + status);
				}
				if (expectStored == null) {
					wrong.add(batch.batchId() + " item " + index + ": unexpected name " + name);
				}
				else if (expectStored != "TASK_SUCCEEDED".equals(status)) {
					wrong.add(batch.batchId() + " item " + index + " (" + name + "): " + status + " "
							+ result.path("error_code").asString("") + " " + result.path("error_message").asString(""));
				}
			}
			if (total != SoakLoad.ITEMS || indexes.size() != total || succeeded + itemFailed != total
					|| data.get("success_count").asInt() != succeeded || data.get("failed_count").asInt() != itemFailed
					|| !"TASK_SUCCEEDED".equals(data.get("status").asString())) {
				wrong.add(batch.batchId() + ": " + data.get("status").asString() + ", " + total + " items, "
						+ indexes.size() + " with a result, counts " + data.get("success_count") + "/" + data.get("failed_count"));
			}
			items += total;
			stored += succeeded;
			failed += itemFailed;
		}
		events.add(String.format(Locale.ROOT, "accepted %d batches (%s), %d items: %d stored, %d failed (codes %s)",
				accepted.size(), byKind.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()[0]).toList(), items,
				stored, failed, codes));
		if (!wrong.isEmpty()) {
			failures.add(wrong.size() + " items or batches not in exactly the one final state expected, e.g. "
					+ wrong.subList(0, Math.min(10, wrong.size())));
		}
	}

	/**
	 * No staged object is older than the sweeper's window (its maximum age plus one sweep
	 * interval), apart from the upload objects the content index keeps: those hold stored
	 * originals (write-once storage), asked of the status-service as the sweeper asks it.
	 */
	private void checkStaged(int s3Port, int statusPort, String internalToken) throws Exception {
		// deletes of ended items are sent after their result; give the last ones a moment
		Thread.sleep(30_000);
		List<StagedObjects.Staged> all = StagedObjects.list("http://127.0.0.1:" + s3Port);
		Set<String> kept = owned(statusPort, internalToken,
				all.stream().map(StagedObjects.Staged::key).filter(k -> k.startsWith("uploads/")).toList());
		List<StagedObjects.Staged> staged = all.stream().filter(s -> !kept.contains(s.key())).toList();
		Duration window = STAGED_MAX_AGE.plus(SWEEP_INTERVAL);
		Duration oldest = staged.stream().map(StagedObjects.Staged::age).max(Duration::compareTo).orElse(Duration.ZERO);
		List<String> tooOld = staged.stream().filter(s -> s.age().compareTo(window) > 0).map(StagedObjects.Staged::key).toList();
		events.add(String.format(Locale.ROOT, "staged objects left (%s): %d, oldest %d s; window %d s; besides them %d "
				+ "upload objects the content index keeps as stored originals", StagedObjects.PREFIXES, staged.size(),
				oldest.toSeconds(), window.toSeconds(), kept.size()));
		if (!tooOld.isEmpty()) {
			failures.add(tooOld.size() + " staged objects older than " + window + ", e.g. "
					+ tooOld.subList(0, Math.min(5, tooOld.size())));
		}
	}

	/** Of {@code keys}, those the content index keeps ({@code POST /internal/uploads/owned}, a page at a time). */
	private Set<String> owned(int statusPort, String internalToken, List<String> keys) throws Exception {
		Set<String> owned = new HashSet<>();
		for (int from = 0; from < keys.size(); from += OWNED_PAGE) {
			List<String> page = keys.subList(from, Math.min(keys.size(), from + OWNED_PAGE));
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort + "/internal/uploads/owned"))
				.timeout(Duration.ofSeconds(30))
				.header("X-Intake-Internal-Token", internalToken)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(page)))
				.build();
			HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("the status-service answered " + response.statusCode()
						+ " to which uploads it keeps");
			}
			json.readTree(response.body()).get("data").get("owned").forEach(key -> owned.add(key.asString()));
		}
		return owned;
	}

	/** Keys per question "which of these are kept" (the status-service's {@code intake.content.max-owned-keys}). */
	private static final int OWNED_PAGE = 1000;

	/** Minutes at each end of the run compared: five, or a third of a shorter run. */
	private double window() {
		return (minutes >= 15) ? 5 : Math.max(1, minutes / 3);
	}

	/**
	 * Heap after GC and descriptors, first window vs last window (medians), per process. A
	 * process that ran throughout is compared with itself; the restarted worker's first life with
	 * its last (both young, so like with like).
	 */
	private void checkFlat() {
		double w = window();
		for (Slot slot : slots) {
			List<ProcessSample> mine = samples.stream().filter(s -> s.process().startsWith(slot.name + "#")).toList();
			List<ProcessSample> first;
			List<ProcessSample> last;
			String how;
			if (slot.incarnation == 1) {
				first = select(mine, s -> s.minute() <= w + 0.5);
				// samples of the drain after the load stopped are not compared
				last = select(mine, s -> s.minute() > minutes - w + 0.5 && s.minute() <= minutes + 0.5);
				how = "one process, min 0–" + fmt(w) + " vs last " + fmt(w);
			}
			else {
				String lastLife = slot.name + "#" + slot.incarnation;
				first = select(mine, s -> s.process().equals(slot.name + "#1"));
				last = select(mine, s -> s.process().equals(lastLife));
				how = "first life (ages " + ages(first) + " min) vs last life #" + slot.incarnation + " (ages " + ages(last)
						+ " min)";
			}
			if (first.isEmpty() || last.isEmpty()) {
				rows.add("| " + slot.name + " | " + how + " | – | – | – | – | – | – | too few samples |");
				if (slot.checked) {
					failures.add(slot.name + ": too few samples to compare");
				}
				continue;
			}
			double heapFirst = median(first, ProcessSample::heapAfterGcMb);
			double heapLast = median(last, ProcessSample::heapAfterGcMb);
			double fdFirst = median(first, s -> s.fds());
			double fdLast = median(last, s -> s.fds());
			double rssLast = median(last, ProcessSample::rssMb);
			boolean heapFlat = heapLast <= heapFirst * (1 + FLAT);
			boolean fdFlat = fdLast <= fdFirst * (1 + FLAT);
			String verdict = !slot.checked ? "not checked (broker log segments)" : (heapFlat && fdFlat) ? "flat" : "GREW";
			rows.add(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %+.1f %% | %.0f | %.0f | %+.1f %% | %.0f | %s |",
					slot.name, how, heapFirst, heapLast, change(heapFirst, heapLast), fdFirst, fdLast, change(fdFirst, fdLast),
					rssLast, verdict));
			if (slot.checked && !(heapFlat && fdFlat)) {
				failures.add(String.format(Locale.ROOT, "%s grew more than %.0f %%: heap after GC %.1f -> %.1f MB, fds %.0f -> %.0f",
						slot.name, FLAT * 100, heapFirst, heapLast, fdFirst, fdLast));
			}
		}
	}

	private static List<ProcessSample> select(List<ProcessSample> samples, Predicate<ProcessSample> which) {
		return samples.stream().filter(which).toList();
	}

	private static String ages(List<ProcessSample> samples) {
		return samples.isEmpty() ? "–"
				: fmt(samples.stream().mapToDouble(ProcessSample::ageMinutes).min().orElse(0)) + "–"
						+ fmt(samples.stream().mapToDouble(ProcessSample::ageMinutes).max().orElse(0));
	}

	private static double median(List<ProcessSample> samples, java.util.function.ToDoubleFunction<ProcessSample> value) {
		double[] values = samples.stream().mapToDouble(value).sorted().toArray();
		int n = values.length;
		return (n % 2 == 1) ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
	}

	private static double change(double first, double last) {
		return (first == 0) ? 0 : (last - first) / first * 100;
	}

	private static String fmt(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

	private double minute() {
		return (System.nanoTime() - startNanos) / 60e9;
	}

	private String describePids() {
		return String.join(", ", slots.stream().map(s -> s.name + " " + s.process.pid()).toList());
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private String report() {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "%n## Soak: %.0f min, worker 2 restarted every %.0f min%n%n", minutes,
				restartEvery));
		out.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores visible, Java ")
			.append(System.getProperty("java.version")).append("; load average (1/5/15 min) ")
			.append(String.join("; ", loads.isEmpty() ? List.of() : List.of(loads.get(0), loads.get(loads.size() - 1))))
			.append("; status-service record cache ")
			.append((statusRecordCache != null) ? statusRecordCache : "as configured (status-service.yml)")
			.append("\n\n");
		out.append("| Process | compared | heap after GC MB, first | last | change | open fds, first | last | change "
				+ "| RSS MB, last | verdict |\n|---|---|---|---|---|---|---|---|---|---|\n");
		rows.forEach(row -> out.append(row).append('\n'));
		out.append('\n');
		histogramReport(out);
		events.forEach(event -> out.append("- ").append(event).append('\n'));
		out.append('\n').append(failures.isEmpty() ? "All checks passed." : "FAILED:\n")
			.append(String.join("\n", failures.stream().map(f -> "- " + f).toList()))
			.append('\n');
		return out.toString();
	}

	/** Per process that ran throughout: the classes whose live bytes grew most from the first histogram to the last. */
	private void histogramReport(StringBuilder out) {
		synchronized (histograms) {
			histograms.forEach((name, h) -> {
				if (h.first == null || h.last == null) {
					return;
				}
				out.append(String.format(Locale.ROOT,
						"Classes grown most in the %s, live objects at %.1f min vs %.1f min (%.1f -> %.1f MB):%n%n", name,
						h.firstMinute, h.lastMinute, h.first.totalBytes() / 1e6, h.last.totalBytes() / 1e6));
				out.append("| class | instances, first | last | change | MB, first | last | change |\n"
						+ "|---|---|---|---|---|---|---|\n");
				for (HeapHistogram.Growth g : h.last.grownMost(h.first, GROWN_CLASSES)) {
					out.append(String.format(Locale.ROOT, "| `%s` | %d | %d | %+d | %.2f | %.2f | %+.2f |%n", g.className(),
							g.before().instances(), g.after().instances(), g.instances(), g.before().bytes() / 1e6,
							g.after().bytes() / 1e6, g.bytes() / 1e6));
				}
				out.append('\n');
			});
		}
	}

	private void writeSamples() throws IOException {
		List<String> lines = new ArrayList<>(List.of("minute\tprocess\tpid\tage_min\theap_after_gc_mb\tfds\trss_mb"));
		synchronized (samples) {
			for (ProcessSample s : samples) {
				lines.add(String.format(Locale.ROOT, "%.2f\t%s\t%d\t%.2f\t%.1f\t%d\t%.0f", s.minute(), s.process(), s.pid(),
						s.ageMinutes(), s.heapAfterGcMb(), s.fds(), s.rssMb()));
			}
		}
		lines.add("");
		lines.addAll(loads);
		Files.write(workDir.resolve("samples.tsv"), lines);
		System.out.println("Samples: " + workDir.resolve("samples.tsv"));
	}

}
