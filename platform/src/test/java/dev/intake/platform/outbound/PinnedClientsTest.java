package dev.intake.platform.outbound;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.core5.util.TimeValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** One pooled client per pinned host, only ever against a server this test starts on 127.0.0.1. */
@Timeout(20)
class PinnedClientsTest {

	private static final PinnedClients.Settings SETTINGS = new PinnedClients.Settings(Duration.ofSeconds(5),
			Duration.ofSeconds(5), 2, "Intake-Test/1");

	@Test
	void oneClientPerHostAndSetOfAddresses() throws Exception {
		InetAddress one = InetAddress.getByName("127.0.0.1");
		InetAddress two = InetAddress.getByName("127.0.0.2");
		try (PinnedClients clients = new PinnedClients(SETTINGS, 8, TimeValue.ofSeconds(30))) {
			clients.lease("Images.Example", new InetAddress[] { one, two }).close();
			clients.lease("images.example", new InetAddress[] { two, one }).close();
			assertThat(clients.created()).isEqualTo(1);
			// a new answer from DNS is a new client: a pooled connection only leads where it was checked to
			clients.lease("images.example", new InetAddress[] { one }).close();
			clients.lease("other.example", new InetAddress[] { one }).close();
			assertThat(clients.created()).isEqualTo(3);
		}
	}

	@Test
	void aClientPushedOutIsClosedOnlyOnceItsLastRequestEnds() throws Exception {
		InetAddress loopback = InetAddress.getByName("127.0.0.1");
		HttpServer origin = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
		origin.createContext("/", exchange -> {
			try (exchange) {
				exchange.getRequestBody().readAllBytes();
				byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
			}
		});
		origin.start();
		int port = origin.getAddress().getPort();
		try (PinnedClients clients = new PinnedClients(SETTINGS, 2, TimeValue.ofSeconds(30))) {
			PinnedClients.Lease inUse = clients.lease("a.example", new InetAddress[] { loopback });
			clients.lease("b.example", new InetAddress[] { loopback }).close();
			clients.lease("c.example", new InetAddress[] { loopback }).close();
			assertThat(clients.size()).isEqualTo(2);
			String answer = inUse.client().execute(new HttpGet("http://a.example:" + port + "/x"),
					response -> new String(response.getEntity().getContent().readAllBytes(), StandardCharsets.US_ASCII));
			assertThat(answer).isEqualTo("hello");
			inUse.close();
			assertThatException()
				.isThrownBy(() -> inUse.client().execute(new HttpGet("http://a.example:" + port + "/y"), response -> null));
		}
		finally {
			origin.stop(0);
		}
	}

	@Test
	void idleClientsAreClosed() throws Exception {
		try (PinnedClients clients = new PinnedClients(SETTINGS, 8, TimeValue.ofMilliseconds(1))) {
			PinnedClients.Lease lease = clients.lease("a.example", new InetAddress[] { InetAddress.getByName("127.0.0.1") });
			lease.close();
			Thread.sleep(5);
			clients.closeIdle();
			assertThat(clients.size()).isZero();
			assertThatException().isThrownBy(() -> lease.client().execute(new HttpGet("http://a.example:9/"), r -> null));
		}
	}

	@Test
	void aClientResolvesOnlyItsPinnedHost() throws Exception {
		try (PinnedClients clients = new PinnedClients(SETTINGS, 8, TimeValue.ofSeconds(30));
				PinnedClients.Lease lease = clients.lease("a.example",
						new InetAddress[] { InetAddress.getByName("127.0.0.1") })) {
			assertThatException()
				.isThrownBy(() -> lease.client().execute(new HttpGet("http://b.example:9/"), r -> null))
				.withMessageContaining("not the checked host");
		}
	}

}
