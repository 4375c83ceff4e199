package dev.intake.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/** Test fixtures: {@code LocalStacks.settingsIn(dir)} picks free loopback ports for a whole stack. */
final class LocalStacks {

	static final String TOKEN = "test-token-" + Long.toHexString(Double.doubleToLongBits(Math.random()));

	private LocalStacks() {
	}

	static LocalSettings settingsIn(Path dataDir) {
		return new LocalSettings(dataDir, TOKEN, freePort(), freePort(), freePort(), freePort(), freePort(), freePort());
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
