package dev.intake.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One look at a running JVM from outside: heap in use right after a full collection
 * ({@code jcmd <pid> GC.run}, the collection's "after" size read from the process's GC log),
 * open file descriptors (entries of {@code /proc/<pid>/fd}) and resident set size ({@code VmRSS}).
 *
 * @param minute minutes since the soak started
 * @param ageMinutes minutes since this process started
 */
record ProcessSample(String process, long pid, double minute, double ageMinutes, double heapAfterGcMb, int fds,
		double rssMb) {

	/** The -Xlog:gc line of a collection jcmd asked for: "Pause Full (Diagnostic Command) 51M->42M(147M)". */
	private static final Pattern DIAGNOSTIC_GC = Pattern.compile("Pause Full \\(Diagnostic Command\\) \\d+M->(\\d+)M");

	static ProcessSample take(String process, long pid, Path gcLog, double minute, double ageMinutes) throws Exception {
		jcmd(pid, "GC.run");
		double heapMb = Double.NaN;
		for (String line : Files.readAllLines(gcLog)) {
			Matcher m = DIAGNOSTIC_GC.matcher(line);
			if (m.find()) {
				heapMb = Double.parseDouble(m.group(1));
			}
		}
		int fds;
		try (Stream<Path> entries = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
			fds = (int) entries.count();
		}
		return new ProcessSample(process, pid, minute, ageMinutes, heapMb, fds, rssMb(pid));
	}

	private static double rssMb(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
			}
		}
		return Double.NaN;
	}

	/** Runs {@code jcmd <pid> <command>} and returns what it printed. */
	static String jcmd(long pid, String command) throws Exception {
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		Process process = new ProcessBuilder(List.of(jcmd.toString(), String.valueOf(pid), command))
			.redirectErrorStream(true)
			.start();
		byte[] out = process.getInputStream().readAllBytes();
		if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IllegalStateException("jcmd " + pid + " " + command + " failed: "
					+ new String(out, StandardCharsets.UTF_8));
		}
		return new String(out, StandardCharsets.UTF_8);
	}

}
