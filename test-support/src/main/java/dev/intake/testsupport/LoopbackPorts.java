package dev.intake.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports on the loopback address for servers a test stops and starts again on the same port
 * (a broker, an S3 server, a whole Intake). A port the system hands out for "any port" comes from
 * its ephemeral range, the range it also gives outgoing connections their local ports from: while
 * such a server is down, a client reconnecting to anything can take its port, and the restart
 * fails to bind. These ports are picked below that range instead, where only a listener asking
 * for that very port can take them.
 */
public final class LoopbackPorts {

	/** Lowest port picked: above the registered ports most local services listen on. */
	private static final int LOWEST = 20_000;

	private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

	private LoopbackPorts() {
	}

	/**
	 * A port that no socket holds right now, below the system's ephemeral range where it leaves room
	 * (Linux: 32768 by default), else any free port.
	 */
	public static int free() {
		int below = ephemeralStart();
		if (below - LOWEST >= 1000) {
			for (int attempt = 0; attempt < 200; attempt++) {
				int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
				if (bindable(port)) {
					return port;
				}
			}
		}
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static int ephemeralStart() {
		try {
			String[] range = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
			return Integer.parseInt(range[0]);
		}
		catch (IOException | RuntimeException ex) {
			// not Linux, or not readable: no range known, so no room below it either
			return LOWEST;
		}
	}

	private static boolean bindable(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
