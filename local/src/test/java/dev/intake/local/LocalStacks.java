package dev.intake.local;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import dev.intake.testsupport.LoopbackPorts;
import org.apache.kafka.common.utils.Exit;

/**
 * Test fixtures: {@code LocalStacks.settingsIn(dir)} picks free loopback ports for a whole stack;
 * {@link #onFreePorts} starts on them, and on others when one was taken in between.
 */
final class LocalStacks {

	static final String TOKEN = "test-token-" + Long.toHexString(Double.doubleToLongBits(Math.random()));

	private LocalStacks() {
	}

	static LocalSettings settingsIn(Path dataDir) {
		return new LocalSettings(dataDir, TOKEN, freePort(), freePort(), freePort(), freePort(), freePort(), freePort());
	}

	/** A whole stack ({@link LocalIntake#start}) on free ports, in the empty {@code dataDir}. */
	static LocalIntake start(Path dataDir, String... overrides) throws Exception {
		return onFreePorts(dataDir, settings -> LocalIntake.start(settings, overrides));
	}

	/**
	 * Runs {@code start} on the settings of {@link #settingsIn}, in the empty {@code dataDir}. A
	 * port found free may be bound by another process (or be the local end of a connection) before
	 * the stack binds it, more likely on a busy machine: a start that failed because a port was in
	 * use (it closed what it started) runs again on other free ports, in an emptied {@code dataDir},
	 * up to three times. Any other failure is thrown as it is.
	 */
	static <T> T onFreePorts(Path dataDir, Start<T> start) throws Exception {
		for (int attempt = 1;; attempt++) {
			// a Kafka controller that cannot bind its port halts the JVM (its fatal-fault handler)
			// before its start fails with the cause: while a stack starts here, the start fails instead
			Exit.setHaltProcedure((status, message) -> {
			});
			try {
				return start.on(settingsIn(dataDir));
			}
			catch (Exception ex) {
				if (attempt == 3 || !portInUse(ex)) {
					throw ex;
				}
				emptyDirectory(dataDir);
			}
			finally {
				Exit.resetHaltProcedure();
			}
		}
	}

	/** What {@link #onFreePorts} starts; closes what it started before it throws. */
	@FunctionalInterface
	interface Start<T> {

		T on(LocalSettings settings) throws Exception;

	}

	static boolean portInUse(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String message = String.valueOf(cause.getMessage());
			if (cause instanceof BindException || cause.getClass().getSimpleName().equals("PortInUseException")
					|| message.contains("Address already in use") || message.contains("Failed to bind")) {
				return true;
			}
		}
		return false;
	}

	private static void emptyDirectory(Path dir) throws IOException {
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				if (!path.equals(dir)) {
					Files.delete(path);
				}
			}
		}
	}

	/**
	 * A stack whose workers may fetch URL items from {@code origin}, a loopback server of the test
	 * (loopback and its port allowed through the worker's named settings), plus any overrides.
	 */
	static LocalIntake withLoopbackOrigin(Path dataDir, HttpServer origin, String... overrides) throws Exception {
		List<String> args = new ArrayList<>(List.of("--intake.worker.fetch.allow-loopback=true",
				"--intake.worker.fetch.allowed-ports=80,443," + origin.getAddress().getPort()));
		args.addAll(List.of(overrides));
		return start(dataDir, args.toArray(String[]::new));
	}

	/** Stops what a test started, either possibly null. */
	static void stop(LocalIntake intake, HttpServer origin) {
		if (intake != null) {
			intake.close();
		}
		if (origin != null) {
			origin.stop(0);
		}
	}

	static IntakeClient clientOf(LocalIntake intake) {
		return new IntakeClient(intake.settings().baseUrl(), intake.settings().apiToken());
	}

	private static int freePort() {
		// restarted on the same port: not one an outgoing connection can take meanwhile
		return LoopbackPorts.free();
	}

}
