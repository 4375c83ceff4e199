package dev.intake.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.intake.testsupport.TestImages;

/**
 * Status look-up latency alone and while the pipeline saturates the cores, before and after the
 * look-up changes, side by side: two embedded defaults run at once as child processes (renditions
 * on, the default profile), one with the settings before ({@code before}: the look-up's store
 * read handed to a blocking thread, decode threads at normal priority, a finished batch's answer
 * rendered on every look-up and moved from the status-service to the api on every look-up,
 * Spring Security's observations on, every span recorded though no exporter sends it anywhere),
 * one with the defaults
 * ({@code after}), so both see the same machine, and
 * <ol>
 * <li>each stores a 300-image batch and waits for it (the finished batch looked up below);</li>
 * <li>alone, cold: the first 300 look-ups of it in each, alternating between the two, nothing
 * else running;</li>
 * <li>alone, warm: 300 more after {@code warm=N} look-ups (default 3,000) in each, as a service
 * that has been answering for a while, once its JIT has compiled the look-up path;</li>
 * <li>under load: 300 × 200 KB multipart batches with renditions submitted to both at once, one
 * after another, while a client thread looks each finished batch up in turn every 20 ms, and each
 * run's own poller looks up its batch in progress every 50 ms.</li>
 * </ol>
 * Each look-up is timed from the request to the last byte of the answer, through the public API
 * (api relay, then status). Both run with {@code -XX:ThreadPriorityPolicy=1}, so thread
 * priorities apply and only the settings differ. Each process is loaded by the other's pipeline
 * too, so decode priority helps "after" less here than alone on a machine.
 * {@code -Pbench -Dbench.main=dev.intake.bench.LookupLatency} ({@code quick}: one loaded batch;
 * {@code separate}: each service in its own process, its heap sized as in docker-compose.yml's
 * containers, before with the serial collector such a container got, after with G1 as the image
 * names it, instead of the embedded default's one JVM, whose collections, with the worker's
 * decoding in the same heap, pause every look-up; {@code only}: the after side alone, under its
 * own pipeline's load and not also its neighbour's; {@code nice=worker:6,backends:10}: those
 * parts of a {@code separate} Intake run at that niceness, as containers of a lower
 * {@code cpu_shares} would: nice 6 weighs 272 against 1,024, as {@code cpu_shares: 256} does).
 * Niceness is compared run after run, not side by side: it orders the processes of the machine,
 * so a niced side would lend its share to the other.
 */
public final class LookupLatency {

	private static final List<String> BEFORE = List.of("--intake.status.read-on-event-loop=false",
			"--intake.worker.decode.thread-priority=5", "--intake.status.finished-answers-size=0",
			"--intake.status-service.finished-answers-size=0",
			"--management.observations.enable.spring.security=true",
			// Spring Boot's own sampler: every span recorded, though no exporter sends it anywhere
			"--management.opentelemetry.tracing.sampler=parent_based_trace_id_ratio");

	/**
	 * The heap each service gets in docker-compose.yml's containers, sized from its memory limit
	 * as there.
	 */
	private static final java.util.Map<String, List<String>> CONTAINER_SIZES = java.util.Map.of("status",
			List.of("-XX:MaxRAM=768m", "-XX:MaxRAMPercentage=45", "-XX:InitialRAMPercentage=20"), "worker",
			List.of("-XX:MaxRAM=1g", "-XX:MaxRAMPercentage=60", "-XX:InitialRAMPercentage=25"), "api",
			List.of("-XX:MaxRAM=768m", "-XX:MaxRAMPercentage=60", "-XX:InitialRAMPercentage=25"));

	/**
	 * The collector of the services in separate processes: before, the serial collector, which the
	 * JVM picks itself in a container of less than 1,792 MB (not from {@code MaxRAM}, hence named);
	 * after, G1, as the container image now names it.
	 */
	private static final List<String> BEFORE_COLLECTOR = List.of("-XX:+UseSerialGC");

	private static final List<String> AFTER_COLLECTOR = List.of("-XX:+UseG1GC");

	/** The parts of a {@code separate} Intake, in their start order. */
	private static final List<String> PARTS = List.of("backends", "status", "worker", "api");

	private LookupLatency() {
	}

	public static void main(String[] args) {
		try {
			run(List.of(args));
			System.exit(0);
		}
		catch (Exception | Error ex) {
			ex.printStackTrace();
			System.exit(1);
		}
	}

	/** One of the two Intakes and its numbers. */
	private static final class Side implements AutoCloseable {

		final String name;

		/** Its processes: one, or broker + S3, status, worker and api, in their start order. */
		final List<IntakeProcess> processes;

		final BenchClient client;

		final String finished;

		final Stats cold = new Stats();

		final Stats alone = new Stats();

		final Stats finishedUnderLoad = new Stats();

		final Stats inProgress = new Stats();

		double cpu;

		Side(String name, List<IntakeProcess> processes) {
			this.name = name;
			this.processes = processes;
			this.client = new BenchClient(processes.get(processes.size() - 1).baseUrl());
			this.finished = name + "-finished";
		}

		double cpuSeconds() throws java.io.IOException {
			double sum = 0;
			for (IntakeProcess process : processes) {
				sum += process.cpuSeconds();
			}
			return sum;
		}

		private final List<Double> marks = new ArrayList<>();

		void markProcesses() throws java.io.IOException {
			marks.clear();
			for (IntakeProcess process : processes) {
				marks.add(process.cpuSeconds());
			}
		}

		/** Each process's share of a core since {@link #markProcesses}, in start order. */
		String shares(double seconds) throws java.io.IOException {
			List<String> shares = new ArrayList<>();
			for (int i = 0; i < processes.size(); i++) {
				shares.add(String.format(Locale.ROOT, "%s %.0f %%", PARTS.get(i),
						(processes.get(i).cpuSeconds() - marks.get(i)) / seconds * 100));
			}
			return String.join(", ", shares);
		}

		@Override
		public void close() throws InterruptedException {
			// the services before the broker and S3 they depend on
			for (int i = processes.size() - 1; i >= 0; i--) {
				processes.get(i).close();
			}
		}

	}

	private static void run(List<String> args) throws Exception {
		int loaded = args.contains("quick") ? 1 : 3;
		int warm = args.stream().filter(arg -> arg.startsWith("warm=")).mapToInt(arg -> Integer.parseInt(arg.substring(5)))
			.findFirst().orElse(3000);
		Path workDir = Files.createDirectories(Path.of("lookups-run-" + Instant.now().toEpochMilli()).toAbsolutePath());
		String loadStart = Files.readString(Path.of("/proc/loadavg")).trim();
		List<byte[]> small = TestImages.noisyJpegs(300, 200_000, 1);
		List<String> jvm = List.of("-XX:ThreadPriorityPolicy=1");
		ExecutorService starts = Executors.newFixedThreadPool(2);
		// the benchmark's look-ups are far above a tenant's request limit; that limit is not measured here
		List<String> unlimited = List.of("--intake.limits.requests-per-minute=100000000");
		List<String> before = new ArrayList<>(BEFORE);
		before.addAll(unlimited);
		boolean separate = args.contains("separate");
		// "nice=worker:10,backends:10": those parts of a separate Intake run at that niceness
		java.util.Map<String, Integer> niceness = new java.util.HashMap<>();
		args.stream().filter(arg -> arg.startsWith("nice=")).flatMap(arg -> List.of(arg.substring(5).split(",")).stream())
			.forEach(pair -> niceness.put(pair.substring(0, pair.indexOf(':')),
					Integer.parseInt(pair.substring(pair.indexOf(':') + 1))));
		// "only": one Intake (after) under its own pipeline's load, not also its neighbour's
		boolean only = args.contains("only");
		Future<Side> beforeStart = only ? null : starts.submit(
				() -> start(workDir, "before", separate, separate ? concat(jvm, BEFORE_COLLECTOR) : jvm, before, niceness));
		Future<Side> afterStart = starts.submit(
				() -> start(workDir, "after", separate, separate ? concat(jvm, AFTER_COLLECTOR) : jvm, unlimited, niceness));
		try (Side beforeSide = only ? null : beforeStart.get(); Side afterSide = afterStart.get()) {
			List<Side> sides = only ? List.of(afterSide) : List.of(beforeSide, afterSide);
			both(sides, side -> BatchRun.run(side.client,
					List.of(side.client.multipart(side.finished, TestImages.variants(small, side.finished))), null));
			for (int i = 0; i < 300; i++) {
				for (Side side : sides) {
					side.cold.add(check(side.client.lookUp(side.finished), side.finished).millis());
				}
			}
			for (int i = 0; i < warm; i++) {
				for (Side side : sides) {
					check(side.client.lookUp(side.finished), side.finished);
				}
			}
			for (int i = 0; i < 300; i++) {
				for (Side side : sides) {
					side.alone.add(check(side.client.lookUp(side.finished), side.finished).millis());
				}
			}
			AtomicBoolean loading = new AtomicBoolean(true);
			Thread poller = new Thread(() -> {
				try {
					while (loading.get()) {
						for (Side side : sides) {
							side.finishedUnderLoad.add(check(side.client.lookUp(side.finished), side.finished).millis());
						}
						Thread.sleep(20);
					}
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}, "bench-lookups");
			for (Side side : sides) {
				side.cpu = side.cpuSeconds();
				side.markProcesses();
			}
			long start = System.nanoTime();
			poller.start();
			try {
				for (int rep = 0; rep < loaded; rep++) {
					String suffix = "-load-" + rep;
					both(sides, side -> {
						String id = side.name + suffix;
						BatchRun run = BatchRun.run(side.client,
								List.of(side.client.multipart(id, TestImages.variants(small, id))), side.inProgress);
						System.out.printf(Locale.ROOT, "%s %s: 300 × 200 KB with renditions in %.2f s%n", LocalTime.now(),
								id, run.seconds);
						return run;
					});
				}
			}
			finally {
				loading.set(false);
				poller.join();
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			List<String> rows = new ArrayList<>();
			for (Side side : sides) {
				double share = (side.cpuSeconds() - side.cpu) / seconds;
				rows.add(row(side.name, "finished 300-item batch, nothing else running, the first 300 look-ups",
						side.cold));
				rows.add(row(side.name,
						"finished 300-item batch, nothing else running, after " + warm + " look-ups", side.alone));
				rows.add(row(side.name, String.format(Locale.ROOT,
						"finished 300-item batch, every 20 ms, under load (this Intake used %.0f %% of a core)", share * 100),
						side.finishedUnderLoad));
				rows.add(row(side.name, "the batch in progress, every 50 ms, under load", side.inProgress));
				if (side.processes.size() > 1) {
					System.out.println(side.name + ", share of a core under load per process: " + side.shares(seconds));
				}
			}
			StringBuilder table = new StringBuilder();
			table.append("\n## Status look-up latency, alone and under load (public API, renditions on, ")
				.append(separate ? "each service in its own process" : "one process each")
				.append(")\n\n");
			table.append("Machine: ").append(Runtime.getRuntime().availableProcessors())
				.append(" CPUs; load average at the start ").append(loadStart).append(", at the end ")
				.append(Files.readString(Path.of("/proc/loadavg")).trim())
				.append("\n\n| Intake | Look-ups | p50 ms | p99 ms | max ms | samples |\n|---|---|---|---|---|---|\n");
			rows.forEach(row -> table.append(row).append('\n'));
			System.out.println(table);
			Files.writeString(workDir.resolve("results.md"), table);
			System.out.println("(also in " + workDir.resolve("results.md") + "; logs of Intake beside it)");
		}
		finally {
			starts.shutdownNow();
		}
	}

	/**
	 * One Intake: the embedded default in one process, or ({@code separate}) broker + S3, status,
	 * worker and api each in its own process as they are deployed, so the look-up's services have
	 * heaps and collections of their own.
	 */
	private static Side start(Path workDir, String name, boolean separate, List<String> jvm, List<String> overrides,
			java.util.Map<String, Integer> niceness) throws Exception {
		if (!separate) {
			return new Side(name, List.of(IntakeProcess.start(workDir, name, jvm, overrides)));
		}
		Path dir = Files.createDirectories(workDir.resolve(name));
		int[] ports = IntakeProcess.freePorts(6);
		String internalToken = java.util.UUID.randomUUID().toString();
		List<IntakeProcess> parts = new ArrayList<>();
		try {
			for (String part : PARTS) {
				List<String> options = new ArrayList<>(jvm);
				options.addAll(CONTAINER_SIZES.getOrDefault(part, List.of()));
				parts.add(IntakeProcess.startPart(dir, part, part, java.util.Map.of(), niceness.getOrDefault(part, 0), ports,
						internalToken, options, overrides));
			}
			return new Side(name, parts);
		}
		catch (Exception | Error ex) {
			new Side(name, parts).close();
			throw ex;
		}
	}

	private static List<String> concat(List<String> first, List<String> second) {
		List<String> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	@FunctionalInterface
	private interface Step {

		BatchRun run(Side side) throws Exception;

	}

	/** The step on both sides at once; returns when both are done. */
	private static void both(List<Side> sides, Step step) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(sides.size());
		try {
			List<Future<BatchRun>> runs = new ArrayList<>();
			for (Side side : sides) {
				runs.add(threads.submit(() -> step.run(side)));
			}
			for (Future<BatchRun> run : runs) {
				run.get();
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static synchronized BenchClient.Lookup check(BenchClient.Lookup lookup, String batchId) {
		if (!"TASK_SUCCEEDED".equals(lookup.status())) {
			throw new IllegalStateException("batch " + batchId + " answered " + lookup.status());
		}
		return lookup;
	}

	private static String row(String phase, String lookups, Stats millis) {
		return String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %d |", phase, lookups, millis.median(),
				millis.percentile(99), millis.max(), millis.count());
	}

}
