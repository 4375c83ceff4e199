package dev.intake.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * One child JVM of the fault tests: started with {@link ProcessBuilder}, output to its own log
 * file, killed for real ({@link #kill()} is SIGKILL, {@link #stop()} is SIGTERM with a SIGKILL
 * fallback). Every child is recorded in {@link #all} so a JVM shutdown hook can end the ones
 * still running.
 */
final class Child {

	private static final List<Child> all = new ArrayList<>();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(Child::killAll, "faults-children"));
	}

	private final String name;

	private final List<String> command;

	private final Path log;

	private Process process;

	private Child(String name, List<String> command, Path log) {
		this.name = name;
		this.command = List.copyOf(command);
		this.log = log;
	}

	/** Starts {@code java <jvmArgs...>} with its output appended to {@code <logDir>/<name>.log}. */
	static Child start(String name, Path logDir, List<String> javaArgs) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(javaArgs);
		Child child = new Child(name, command, logDir.resolve(name + ".log"));
		child.launch();
		return child;
	}

	/** Starts this child's command again (after a kill or stop); the log file goes on. */
	Child restart() {
		if (process != null && process.isAlive()) {
			throw new IllegalStateException(name + " is still running");
		}
		launch();
		return this;
	}

	private void launch() {
		try {
			Files.createDirectories(log.getParent());
			Files.writeString(log, "=== start " + java.time.Instant.now() + ": " + command + "\n",
					StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
					java.nio.file.StandardOpenOption.APPEND);
			process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot start " + name, ex);
		}
		synchronized (all) {
			if (!all.contains(this)) {
				all.add(this);
			}
		}
	}

	String name() {
		return name;
	}

	long pid() {
		return process.pid();
	}

	boolean isAlive() {
		return process != null && process.isAlive();
	}

	/** SIGKILL, like {@code kill -9}: no shutdown hook, no clean close of anything. */
	void kill() {
		if (process != null) {
			process.destroyForcibly();
			waitFor(Duration.ofSeconds(30));
			append("=== killed with SIGKILL " + java.time.Instant.now());
		}
	}

	/** SIGTERM (a clean shutdown), then SIGKILL if it has not ended in 30 s. */
	void stop() {
		if (process != null && process.isAlive()) {
			process.destroy();
			if (!waitFor(Duration.ofSeconds(30))) {
				kill();
			}
			append("=== stopped " + java.time.Instant.now());
		}
	}

	/** Waits until the log has a line containing {@code marker}; fails at once if the process ends. */
	void awaitLog(String marker, Duration timeout) {
		try {
			await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
				if (sinceLastStart().contains(marker)) {
					return true;
				}
				if (!process.isAlive()) {
					throw new IllegalStateException(name + " exited with " + process.exitValue() + " before '" + marker
							+ "':\n" + tail(60));
				}
				return false;
			});
		}
		catch (ConditionTimeoutException ex) {
			throw new IllegalStateException(name + " did not log '" + marker + "' in " + timeout + ":\n" + tail(60), ex);
		}
	}

	/** The log since this child was last started. */
	String sinceLastStart() {
		String text = logText();
		return text.substring(Math.max(0, text.lastIndexOf("=== start ")));
	}

	String logText() {
		try {
			return Files.readString(log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	/** The last lines of the log, to print when a test fails. */
	String tail(int lines) {
		List<String> all = logText().lines().toList();
		return "----- " + log + " (last " + lines + " lines) -----\n"
				+ String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
	}

	private boolean waitFor(Duration timeout) {
		try {
			return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void append(String line) {
		try {
			Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			// the log is only for people
		}
	}

	static List<Child> running() {
		synchronized (all) {
			return all.stream().filter(Child::isAlive).toList();
		}
	}

	/** Ends every child still running, with SIGKILL (the shutdown hook; also after each test class). */
	static void killAll() {
		for (Child child : running()) {
			child.process.destroyForcibly();
		}
	}

}
