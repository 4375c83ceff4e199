package dev.intake.worker.fetch;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fetches reuse the pooled connection of their pinned host, only ever against servers this test
 * starts on 127.0.0.1.
 */
@Timeout(20)
class RemoteFetcherPoolingTest {

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

}
