package dev.intake.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoopbackPortsTest {

	@Test
	void aFreePortIsBelowTheEphemeralRangeWhereItLeavesRoomAndCanBeBound() throws IOException {
		for (int i = 0; i < 20; i++) {
			int port = LoopbackPorts.free();
			if (LoopbackPorts.ephemeralStart() >= 21_000) {
				assertThat(port).isBetween(20_000, LoopbackPorts.ephemeralStart() - 1);
			}
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				assertThat(socket.getLocalPort()).isEqualTo(port);
			}
		}
	}

	@Test
	void aPortHeldByAListenerIsNotHandedOut() throws IOException {
		int held = LoopbackPorts.free();
		try (ServerSocket socket = new ServerSocket(held, 1, InetAddress.getLoopbackAddress())) {
			for (int i = 0; i < 200; i++) {
				assertThat(LoopbackPorts.free()).isNotEqualTo(held);
			}
		}
	}

}
