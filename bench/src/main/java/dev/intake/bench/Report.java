package dev.intake.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects the rows of the benchmark's table and renders them as Markdown. */
final class Report {

	private final List<String> rows = new ArrayList<>();

	private final List<String> latencies = new ArrayList<>();

	private final List<String> memory = new ArrayList<>();

	private final List<String> machine = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	private final List<String> s3Requests = new ArrayList<>();

	private int anchorConcurrency = 16;

	private String anchorSweep = "";

	void anchor(int concurrency, String sweep) {
		this.anchorConcurrency = concurrency;
		this.anchorSweep = sweep;
	}

	int anchorConcurrency() {
		return anchorConcurrency;
	}

	void paired(String name, Stats intake, Stats anchor, Stats ratio) {
		rows.add(String.format(Locale.ROOT, "| %s | %s | %s | **%s** × direct PUT | %d |", name,
				intake.spread("%.1f"), anchor.spread("%.1f"), ratio.spread("%.2f"), ratio.count()));
	}

	void url(String name, Stats rate, double ideal, Stats ratio, String note) {
		rows.add(String.format(Locale.ROOT, "| %s | %s | %.1f (ideal) | **%s** × ideal | %d |", name, rate.spread("%.1f"),
				ideal, ratio.spread("%.2f"), ratio.count()));
		rows.add("|  ↳ " + note + " | | | | |");
	}

	/** S3 requests per image of a scenario, as Intake's S3 server counted them, in all by operation. */
	void s3Requests(String name, Map<String, Long> byOperation, int images) {
		long total = byOperation.values().stream().mapToLong(Long::longValue).sum();
		StringBuilder operations = new StringBuilder();
		byOperation.forEach((operation, count) -> operations.append(operations.isEmpty() ? "" : ", ")
			.append(String.format(Locale.ROOT, "%s %.2f", operation, (double) count / images)));
		s3Requests.add(String.format(Locale.ROOT, "| %s | **%.2f** | %s | %d |", name, (double) total / images,
				operations, images));
	}

	void latency(String name, Stats millis) {
		latencies.add(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %d |", name, millis.median(),
				millis.percentile(99), millis.max(), millis.count()));
	}

	void memory(String name, IntakeProcess intake) throws IOException {
		memory.add(String.format(Locale.ROOT, "| %s | %.0f | %.0f |", name, intake.peakRssMb(), intake.peakHeapMb()));
	}

	void note(String text) {
		notes.add(text);
	}

	void machine(String when) throws IOException {
		String load = Files.readString(Path.of("/proc/loadavg")).trim();
		machine.add(when + ": load average " + load);
	}

	String render() throws IOException {
		StringBuilder out = new StringBuilder();
		out.append("\n## Intake benchmark\n\n");
		out.append("Machine: ").append(cpu()).append(", ").append(Runtime.getRuntime().availableProcessors())
			.append(" cores visible, Java ").append(System.getProperty("java.version")).append("; ")
			.append(String.join("; ", machine)).append("\n\n");
		out.append("Direct PUT anchor: AWS SDK v2 S3Client (Apache HTTP), concurrency ").append(anchorConcurrency)
			.append(" (sweep, images/s: ").append(anchorSweep).append(")\n\n");
		out.append("| Scenario | Intake images/s median (min–max) | Anchor images/s | Ratio median (min–max) | Pairs |\n");
		out.append("|---|---|---|---|---|\n");
		rows.forEach(row -> out.append(row).append('\n'));
		if (!s3Requests.isEmpty()) {
			out.append("\n| S3 requests per image, counted by the S3 server | all | by operation | images |\n|---|---|---|---|\n");
			s3Requests.forEach(row -> out.append(row).append('\n'));
		}
		out.append("\n| Latency | p50 ms | p99 ms | max ms | samples |\n|---|---|---|---|---|\n");
		latencies.forEach(row -> out.append(row).append('\n'));
		out.append("\n| Process | peak RSS MB | peak heap MB (before a GC) |\n|---|---|---|\n");
		memory.forEach(row -> out.append(row).append('\n'));
		notes.forEach(note -> out.append("\n").append(note).append('\n'));
		return out.toString();
	}

	private static String cpu() throws IOException {
		return Files.readAllLines(Path.of("/proc/cpuinfo"))
			.stream()
			.filter(line -> line.startsWith("model name"))
			.map(line -> line.substring(line.indexOf(':') + 1).trim())
			.findFirst()
			.orElse("unknown CPU");
	}

}
