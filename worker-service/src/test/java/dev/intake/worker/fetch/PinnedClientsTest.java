package dev.intake.worker.fetch;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.core5.util.TimeValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** Connection reuse per pinned host, only ever against servers this test starts on 127.0.0.1. */
@Timeout(20)
class PinnedClientsTest {

	private static final byte[] OK = RawOrigin.head("HTTP/1.1 200 OK\nContent-Length: 5\n\nhello");

	@Test
	void hopsAndFetchesToTheSameHostShareOneConnection() throws Exception {
		AtomicInteger requests = new AtomicInteger();
		try (RawOrigin origin = new RawOrigin(out -> {
			// the first request is redirected on the same host, the others answered
			out.write(requests.getAndIncrement() == 0
					? RawOrigin.head("HTTP/1.1 302 Found\nLocation: /b.png\nContent-Length: 3\n\nmoo") : OK);
		}, true); RemoteFetcher fetcher = fetcher(origin.port())) {
			assertThat(read(fetcher, origin.url("/a.png"))).isEqualTo("hello");
			assertThat(read(fetcher, origin.url("/c.png"))).isEqualTo("hello");
			assertThat(read(fetcher, origin.url("/d.png"))).isEqualTo("hello");
			assertThat(requests).hasValue(4);
			assertThat(origin.connections).hasValue(1);
		}
	}

	@Test
	void aBodyLeftUnreadIsNotLeftInThePool() throws Exception {
		try (RawOrigin origin = new RawOrigin(out -> out.write(OK), true); RemoteFetcher fetcher = fetcher(origin.port())) {
			fetcher.open(origin.url("/a.png")).close();
			assertThat(read(fetcher, origin.url("/b.png"))).isEqualTo("hello");
			assertThat(origin.connections).hasValue(2);
		}
	}

	@Test
	void oneClientPerHostAndSetOfAddresses() throws Exception {
		InetAddress one = InetAddress.getByName("127.0.0.1");
		InetAddress two = InetAddress.getByName("127.0.0.2");
		try (PinnedClients clients = new PinnedClients(props(), 8, TimeValue.ofSeconds(30))) {
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
	void aClientPushedOutIsClosedOnlyOnceItsLastHopEnds() throws Exception {
		InetAddress loopback = InetAddress.getByName("127.0.0.1");
		try (RawOrigin origin = new RawOrigin(out -> out.write(OK), true);
				PinnedClients clients = new PinnedClients(props(), 2, TimeValue.ofSeconds(30))) {
			PinnedClients.Lease inUse = clients.lease("a.example", new InetAddress[] { loopback });
			clients.lease("b.example", new InetAddress[] { loopback }).close();
			clients.lease("c.example", new InetAddress[] { loopback }).close();
			assertThat(clients.size()).isEqualTo(2);
			HttpGet get = new HttpGet("http://a.example:" + origin.port() + "/x.png");
			String answer = inUse.client().execute(get,
					response -> new String(response.getEntity().getContent().readAllBytes(), StandardCharsets.US_ASCII));
			assertThat(answer).isEqualTo("hello");
			inUse.close();
			assertThatException().isThrownBy(() -> inUse.client()
				.execute(new HttpGet("http://a.example:" + origin.port() + "/y.png"), response -> null));
		}
	}

	@Test
	void idleClientsAreClosed() throws Exception {
		try (PinnedClients clients = new PinnedClients(props(), 8, TimeValue.ofMilliseconds(1))) {
			PinnedClients.Lease lease = clients.lease("a.example", new InetAddress[] { InetAddress.getByName("127.0.0.1") });
			lease.close();
			Thread.sleep(5);
			clients.closeIdle();
			assertThat(clients.size()).isZero();
			assertThatException().isThrownBy(() -> lease.client().execute(new HttpGet("http://a.example:9/"), r -> null));
		}
	}

	private static String read(RemoteFetcher fetcher, String url) throws Exception {
		try (RemoteBody body = fetcher.open(url); InputStream in = body.stream()) {
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
	}

	private static RemoteFetcher fetcher(int port) {
		return new RemoteFetcher(RemoteFetcherTest.props(true, port, Duration.ofSeconds(5)), host -> {
			throw new java.net.UnknownHostException("tests resolve no names: " + host);
		});
	}

	private static FetchProperties props() {
		return RemoteFetcherTest.props(true, 80, Duration.ofSeconds(5));
	}

}
