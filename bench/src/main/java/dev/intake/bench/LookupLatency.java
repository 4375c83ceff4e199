package dev.intake.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.intake.testsupport.TestImages;

/**
 * Status look-up latency alone and while the pipeline saturates the cores, before and after the
 * look-up changes, side by side in one invocation: each phase starts the embedded default as a
 * child process (renditions on, the default profile) and
 * <ol>
 * <li>stores a 300-image batch and waits for it (the finished batch looked up below);</li>
 * <li>alone: 300 look-ups of it one after another, nothing else running;</li>
 * <li>under load: 300 × 200 KB multipart batches with renditions, one after another, while a
 * client thread looks the finished batch up every 20 ms, and the run's own poller looks up the
 * batch in progress every 50 ms; the Intake process's CPU use over the window shows the load.</li>
 * </ol>
 * Each look-up is timed from the request to the last byte of the answer, through the public API
 * (api relay, then status). Phases: {@code before} (the look-up's store read handed to a blocking
 * thread, decode threads at normal priority), {@code after} (the defaults), and with
 * {@code one-decode-thread} also the defaults with {@code intake.worker.decode.threads=1}. All
 * phases run with {@code -XX:ThreadPriorityPolicy=1}, so thread priorities apply and only the
 * settings differ. {@code -Pbench -Dbench.main=dev.intake.bench.LookupLatency} ({@code quick}:
 * one loaded batch per phase).
 */
public final class LookupLatency {

	private static final List<String> BEFORE = List.of("--intake.status.read-on-event-loop=false",
			"--intake.worker.decode.thread-priority=5");

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

	private static void run(List<String> args) throws Exception {
		boolean quick = args.contains("quick");
		Path workDir = Files.createDirectories(Path.of("lookups-run-" + Instant.now().toEpochMilli()).toAbsolutePath());
		String loadStart = Files.readString(Path.of("/proc/loadavg")).trim();
		List<byte[]> small = TestImages.noisyJpegs(300, 200_000, 1);
		List<String> rows = new ArrayList<>();
		List<String[]> phases = new ArrayList<>();
		phases.add(new String[] { "before", String.join(" ", BEFORE) });
		phases.add(new String[] { "after", "" });
		if (args.contains("one-decode-thread")) {
			phases.add(new String[] { "after, one decode thread", "--intake.worker.decode.threads=1" });
		}
		for (String[] phase : phases) {
			List<String> overrides = phase[1].isEmpty() ? List.of() : List.of(phase[1].split(" "));
			rows.addAll(phase(workDir, phase[0], overrides, small, quick ? 1 : 3));
		}
		StringBuilder table = new StringBuilder();
		table.append("\n## Status look-up latency, alone and under load (public API, renditions on)\n\n");
		table.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs; load average at the start ")
			.append(loadStart).append(", at the end ").append(Files.readString(Path.of("/proc/loadavg")).trim())
			.append("\n\n| Phase | Look-ups | p50 ms | p99 ms | max ms | samples |\n|---|---|---|---|---|---|\n");
		rows.forEach(row -> table.append(row).append('\n'));
		System.out.println(table);
		Files.writeString(workDir.resolve("results.md"), table);
		System.out.println("(also in " + workDir.resolve("results.md") + "; logs of Intake beside it)");
	}

	private static List<String> phase(Path workDir, String name, List<String> overrides, List<byte[]> small, int loaded)
			throws Exception {
		List<String> rows = new ArrayList<>();
		try (IntakeProcess intake = IntakeProcess.start(workDir, name.replaceAll("\\W+", "-"),
				List.of("-XX:ThreadPriorityPolicy=1"), overrides)) {
			BenchClient client = new BenchClient(intake.baseUrl());
			String finished = name.replaceAll("\\W+", "-") + "-finished";
			BatchRun.run(client, List.of(client.multipart(finished, TestImages.variants(small, finished))), null);
			for (int i = 0; i < 20; i++) {
				client.lookUp(finished);
			}
			Stats alone = new Stats();
			for (int i = 0; i < 300; i++) {
				alone.add(check(client.lookUp(finished), finished).millis());
			}
			Stats finishedUnderLoad = new Stats();
			Stats inProgress = new Stats();
			AtomicBoolean loading = new AtomicBoolean(true);
			Thread poller = new Thread(() -> {
				try {
					while (loading.get()) {
						finishedUnderLoad.add(check(client.lookUp(finished), finished).millis());
						Thread.sleep(20);
					}
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}, "bench-lookups");
			double cpuBefore = intake.cpuSeconds();
			long start = System.nanoTime();
			poller.start();
			try {
				for (int rep = 0; rep < loaded; rep++) {
					String id = name.replaceAll("\\W+", "-") + "-load-" + rep;
					BatchRun run = BatchRun.run(client, List.of(client.multipart(id, TestImages.variants(small, id))),
							inProgress);
					System.out.printf(Locale.ROOT, "%s %s: 300 × 200 KB with renditions in %.2f s%n", LocalTime.now(), id,
							run.seconds);
				}
			}
			finally {
				loading.set(false);
				poller.join();
			}
			double cpuShare = (intake.cpuSeconds() - cpuBefore) / ((System.nanoTime() - start) / 1e9);
			rows.add(row(name, "finished 300-item batch, nothing else running", alone));
			rows.add(row(name, String.format(Locale.ROOT,
					"finished 300-item batch, every 20 ms, under load (Intake used %.0f %% CPU of %d cores)",
					cpuShare * 100, Runtime.getRuntime().availableProcessors()), finishedUnderLoad));
			rows.add(row(name, "the batch in progress, every 50 ms, under load", inProgress));
		}
		return rows;
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
