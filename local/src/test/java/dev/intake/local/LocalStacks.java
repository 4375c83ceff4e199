package dev.intake.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpServer;

/** Test fixtures: {@code LocalStacks.settingsIn(dir)} picks free loopback ports for a whole stack. */
final class LocalStacks {

	static final String TOKEN = "test-token-" + Long.toHexString(Double.doubleToLongBits(Math.random()));

	private LocalStacks() {
	}

	static LocalSettings settingsIn(Path dataDir) {
		return new LocalSettings(dataDir, TOKEN, freePort(), freePort(), freePort(), freePort(), freePort(), freePort());
	}

	/**
	 * A stack whose workers may fetch URL items from {@code origin}, a loopback server of the test
	 * (loopback and its port allowed through the worker's named settings), plus any overrides.
	 */
	static LocalIntake withLoopbackOrigin(Path dataDir, HttpServer origin, String... overrides) throws Exception {
		List<String> args = new ArrayList<>(List.of("--intake.worker.fetch.allow-loopback=true",
				"--intake.worker.fetch.allowed-ports=80,443," + origin.getAddress().getPort()));
		args.addAll(List.of(overrides));
		return LocalIntake.start(settingsIn(dataDir), args.toArray(String[]::new));
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
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
