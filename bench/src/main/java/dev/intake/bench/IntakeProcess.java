package dev.intake.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded default ({@code dev.intake.local.IntakeLocal}: broker, S3Proxy, api, worker and
 * status in one JVM) started as a child process on free loopback ports with a fresh data
 * directory, so its memory is its own: peak RSS from {@code /proc}, peak heap from its GC log.
 */
final class IntakeProcess implements AutoCloseable {

	static final String TOKEN = "bench-token";

	private static final Pattern HEAP_BEFORE_GC = Pattern.compile("\\) (\\d+)M->(\\d+)M\\(");

	private final Process process;

	private final Path gcLog;

	final int apiPort;

	final int s3Port;

	final int kafkaPort;

	/** Where its S3 server publishes request counts, or 0 (see {@link S3Requests}). */
	final int s3MetricsPort;

	private IntakeProcess(Process process, Path gcLog, int apiPort, int s3Port, int kafkaPort, int s3MetricsPort) {
		this.process = process;
		this.gcLog = gcLog;
		this.apiPort = apiPort;
		this.s3Port = s3Port;
		this.kafkaPort = kafkaPort;
		this.s3MetricsPort = s3MetricsPort;
	}

	/**
	 * Starts Intake with {@code overrides} (service settings) and waits until the api is ready;
	 * tries once more if the process died while starting (on a shared machine something else may
	 * have stopped it).
	 */
	static IntakeProcess start(Path workDir, String name, List<String> jvmOptions, List<String> overrides)
			throws Exception {
		try {
			return startOnce(workDir, name, jvmOptions, overrides);
		}
		catch (IllegalStateException ex) {
			System.out.println("Intake did not start (" + ex.getMessage() + "); trying once more");
			return startOnce(workDir, name + "-again", jvmOptions, overrides);
		}
	}

	private static IntakeProcess startOnce(Path workDir, String name, List<String> jvmOptions, List<String> overrides)
			throws Exception {
		Path dir = Files.createDirectories(workDir.resolve(name));
		int[] ports = freePorts(7);
		IntakeProcess intake = launch(dir, dir.resolve("data"), ports,
				Map.of("INTAKE_S3_METRICS_PORT", String.valueOf(ports[6])), 0, jvmOptions, overrides);
		try {
			// printed once every service answers ready on its management port
			intake.awaitLine(dir.resolve("intake.log"), "Intake is ready.");
			return intake;
		}
		catch (Exception | Error ex) {
			intake.close();
			throw ex;
		}
	}

	/**
	 * One part of Intake ({@code backends}, {@code status}, {@code worker} or {@code api}, see
	 * {@code IntakeLocal}) in its own process on {@code ports} (as {@link #freePorts}, shared by
	 * the parts), its log and GC log under {@code workDir/<part>}, data under {@code workDir/data};
	 * returns once it says it is ready.
	 */
	static IntakeProcess startPart(Path workDir, String part, int[] ports, String internalToken,
			List<String> jvmOptions, List<String> overrides) throws Exception {
		return startPart(workDir, part, part, Map.of(), ports, internalToken, jvmOptions, overrides);
	}

	/**
	 * The same, its logs under {@code workDir/<name>}, with {@code env} added to its environment
	 * (e.g. its own {@code INTAKE_WORKER_PORT}, so several workers run side by side).
	 */
	static IntakeProcess startPart(Path workDir, String part, String name, Map<String, String> env, int[] ports,
			String internalToken, List<String> jvmOptions, List<String> overrides) throws Exception {
		return startPart(workDir, part, name, env, 0, ports, internalToken, jvmOptions, overrides);
	}

	/**
	 * The same, run at {@code niceness} ({@code nice -n}, 0 as this process): a lower CPU weight on a
	 * contended machine, as a container's lower {@code cpu_shares} gives it.
	 */
	static IntakeProcess startPart(Path workDir, String part, String name, Map<String, String> env, int niceness,
			int[] ports, String internalToken, List<String> jvmOptions, List<String> overrides) throws Exception {
		Path dir = Files.createDirectories(workDir.resolve(name));
		Map<String, String> all = new java.util.HashMap<>(env);
		all.put("INTAKE_PART", part);
		all.put("INTAKE_INTERNAL_TOKEN", internalToken);
		IntakeProcess intake = launch(dir, workDir.resolve("data"), ports, all, niceness, jvmOptions, overrides);
		try {
			intake.awaitLine(dir.resolve("intake.log"), "Intake part '" + part + "' is ready.");
			return intake;
		}
		catch (Exception | Error ex) {
			intake.close();
			throw ex;
		}
	}

	private static IntakeProcess launch(Path dir, Path dataDir, int[] ports, Map<String, String> env, int niceness,
			List<String> jvmOptions, List<String> overrides) throws IOException {
		Path gcLog = dir.resolve("gc.log");
		List<String> arguments = new ArrayList<>(List.of("-Xlog:gc:file=" + gcLog, "-cp",
				System.getProperty("java.class.path")));
		arguments.addAll(jvmOptions);
		arguments.add("dev.intake.local.IntakeLocal");
		arguments.addAll(overrides);
		// in an argument file, so a "pkill -f IntakeLocal" meant for another Intake on a shared
		// machine does not stop this one mid-run
		Path argFile = Files.write(dir.resolve("java.args"),
				arguments.stream().map(argument -> "\"" + argument + "\"").toList());
		List<String> command = new ArrayList<>();
		if (niceness != 0) {
			// nice execs java, so the pid stays the JVM's; every thread inherits the niceness
			command.addAll(List.of("nice", "-n", String.valueOf(niceness)));
		}
		command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + argFile));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(dir.resolve("intake.log").toFile());
		builder.environment().put("INTAKE_DATA_DIR", dataDir.toString());
		builder.environment().put("INTAKE_API_TOKEN", TOKEN);
		builder.environment().put("INTAKE_PORT", String.valueOf(ports[0]));
		builder.environment().put("INTAKE_STATUS_PORT", String.valueOf(ports[1]));
		builder.environment().put("INTAKE_WORKER_PORT", String.valueOf(ports[2]));
		builder.environment().put("INTAKE_KAFKA_PORT", String.valueOf(ports[3]));
		builder.environment().put("INTAKE_KAFKA_CONTROLLER_PORT", String.valueOf(ports[4]));
		builder.environment().put("INTAKE_S3_PORT", String.valueOf(ports[5]));
		builder.environment().putAll(env);
		int metricsPort = Integer.parseInt(env.getOrDefault("INTAKE_S3_METRICS_PORT", "0"));
		IntakeProcess intake = new IntakeProcess(builder.start(), gcLog, ports[0], ports[5], ports[3], metricsPort);
		// a benchmark stopped with Ctrl-C stops its Intake too
		Runtime.getRuntime().addShutdownHook(new Thread(intake.process::destroy, "bench-stop-intake"));
		return intake;
	}

	String baseUrl() {
		return "http://127.0.0.1:" + apiPort + "/v1";
	}

	String s3Endpoint() {
		return "http://127.0.0.1:" + s3Port;
	}

	long pid() {
		return process.pid();
	}

	/** CPU seconds (user + system) the process used so far, from {@code /proc/<pid>/stat}. */
	double cpuSeconds() throws IOException {
		String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
		// after the command name in parentheses: utime and stime are the 12th and 13th fields
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
		return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
	}

	/** USER_HZ of /proc times: 100 on Linux for every architecture Intake runs on. */
	private static final double CLOCK_TICKS = 100.0;

	/** Peak resident set size so far (VmHWM), in MB. */
	double peakRssMb() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
			if (line.startsWith("VmHWM:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
			}
		}
		return Double.NaN;
	}

	/** Largest heap occupancy seen before a collection so far, in MB (from the GC log). */
	double peakHeapMb() throws IOException {
		double peak = 0;
		for (String line : Files.readAllLines(gcLog)) {
			Matcher m = HEAP_BEFORE_GC.matcher(line);
			if (m.find()) {
				peak = Math.max(peak, Double.parseDouble(m.group(1)));
			}
		}
		return peak;
	}

	private void awaitLine(Path log, String line) throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("Intake exited with " + process.exitValue() + "; see " + log);
			}
			if (Files.exists(log) && Files.readString(log).contains(line)) {
				return;
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException("Intake not ready in 4 minutes; see " + log);
	}

	static int[] freePorts(int count) throws IOException {
		int[] ports = new int[count];
		List<ServerSocket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < count; i++) {
				ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
				sockets.add(socket);
				ports[i] = socket.getLocalPort();
			}
		}
		finally {
			for (ServerSocket socket : sockets) {
				socket.close();
			}
		}
		return ports;
	}

	@Override
	public void close() throws InterruptedException {
		process.destroy();
		if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
		}
	}

}
