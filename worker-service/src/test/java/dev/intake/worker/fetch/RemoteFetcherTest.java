package dev.intake.worker.fetch;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.intake.platform.outbound.NameResolver;
import dev.intake.testsupport.LoopbackOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.intake.testsupport.LoopbackOrigin.answer;
import static dev.intake.testsupport.LoopbackOrigin.redirect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Live fetches, only ever against servers this test starts on 127.0.0.1. Names are answered by
 * stub resolvers that return loopback or refused addresses; the system resolver is never used.
 */
@Timeout(20)
class RemoteFetcherTest {

	private static final byte[] BODY = "not really an image, but bytes".getBytes();

	private LoopbackOrigin origin;

	private final AtomicInteger lookups = new AtomicInteger();

	@BeforeEach
	void start() throws Exception {
		origin = LoopbackOrigin.start();
	}

	@AfterEach
	void stop() {
		origin.close();
	}

	@Test
	void fetchesTheBodyWithoutAskingForCompression() throws Exception {
		origin.route("/a.png", answer(200, BODY, "Content-Type", "image/png"));
		try (RemoteFetcher fetcher = fetcher(true, origin.port()); RemoteBody body = fetcher.open(origin.url("/a.png"))) {
			assertThat(body.declaredLength()).isEqualTo(BODY.length);
			assertThat(body.stream().readAllBytes()).isEqualTo(BODY);
		}
		assertThat(origin.requests).singleElement().satisfies(headers -> {
			assertThat(headers.getFirst("Accept-Encoding")).isEqualTo("identity");
			assertThat(headers.getFirst("Host")).isEqualTo("127.0.0.1:" + origin.port());
		});
	}

	/** A path written as text reaches the origin percent-encoded, not with its letters as '?'. */
	@Test
	void requestsAPathOutsideAsciiPercentEncoded() throws Exception {
		origin.route("/фото.png", answer(200, BODY, "Content-Type", "image/png"));
		try (RemoteFetcher fetcher = fetcher(true, origin.port()); RemoteBody body = fetcher.open(origin.url("/фото.png"))) {
			assertThat(body.stream().readAllBytes()).isEqualTo(BODY);
		}
	}

	/** A port nothing listens on: a transient failure, said in words (no class name). */
	@Test
	void aRefusedConnectionIsTransientAndSaidInWords() throws Exception {
		int closed;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			closed = socket.getLocalPort();
		}
		try (RemoteFetcher fetcher = fetcher(true, closed)) {
			assertFailed(fetcher, "http://127.0.0.1:" + closed + "/a.png", FetchException.Kind.TRANSIENT,
					"the server refused the connection");
		}
	}

	@Test
	void loopbackIsRefusedUnlessAllowedAndNothingConnects() throws Exception {
		origin.route("/a.png", answer(200, BODY));
		try (RemoteFetcher fetcher = fetcher(false, origin.port())) {
			assertRefused(fetcher, origin.url("/a.png"), "its host points to a non-public address (loopback)");
			assertRefused(fetcher, "http://[::ffff:127.0.0.1]:" + origin.port() + "/a.png",
					"its host points to a non-public address (IPv4-mapped)");
		}
		assertThat(origin.totalHits()).isZero();
	}

	@Test
	void connectsOnlyToTheCheckedAddressesOfOneLookup() throws Exception {
		origin.route("/a.png", answer(200, BODY));
		// "images.test" exists only in the stub: the client cannot have looked it up itself
		NameResolver rebinding = host -> lookups.incrementAndGet() == 1 ? loopback()
				: new InetAddress[] { InetAddress.getByName("10.0.0.1") };
		try (RemoteFetcher fetcher = new RemoteFetcher(props(true, origin.port(), Duration.ofSeconds(5)), rebinding);
				RemoteBody body = fetcher.open("http://images.test:" + origin.port() + "/a.png")) {
			assertThat(body.stream().readAllBytes()).isEqualTo(BODY);
		}
		assertThat(lookups).hasValue(1);
		assertThat(origin.requests).singleElement()
			.satisfies(headers -> assertThat(headers.getFirst("Host")).isEqualTo("images.test:" + origin.port()));
	}

	@Test
	void oneRefusedAnswerAmongSeveralRefusesTheHost() throws Exception {
		origin.route("/a.png", answer(200, BODY));
		NameResolver mixed = host -> new InetAddress[] { InetAddress.getByName("127.0.0.1"),
				InetAddress.getByName("169.254.169.254") };
		try (RemoteFetcher fetcher = new RemoteFetcher(props(true, origin.port(), Duration.ofSeconds(5)), mixed)) {
			assertRefused(fetcher, "http://metadata.test:" + origin.port() + "/a.png",
					"its host points to a non-public address (link-local)");
		}
		assertThat(origin.totalHits()).isZero();
	}

	@Test
	void anUnknownHostFailsForGood() throws Exception {
		NameResolver none = host -> {
			throw new UnknownHostException(host);
		};
		try (RemoteFetcher fetcher = new RemoteFetcher(props(true, 80, Duration.ofSeconds(5)), none)) {
			assertThatExceptionOfType(FetchException.class).isThrownBy(() -> fetcher.open("http://nowhere.test/a.png"))
				.satisfies(ex -> assertThat(ex.kind()).isEqualTo(FetchException.Kind.FAILED))
				.withMessage("its host name could not be resolved");
		}
	}

	@Test
	void redirectsAreFollowedAndEachTargetChecked() throws Exception {
		origin.route("/one", redirect(302, "/two"))
			.route("/two", redirect(301, origin.url("/three")))
			.route("/three", redirect(307, "three.png"))
			.route("/three.png", answer(200, BODY))
			.route("/to-metadata", redirect(302, "http://169.254.169.254/latest/meta-data/"))
			.route("/to-private", redirect(302, "http://10.0.0.1:" + origin.port() + "/a.png"))
			.route("/to-file", redirect(302, "file:///etc/passwd"))
			.route("/to-decimal", redirect(302, "http://2130706433:" + origin.port() + "/three.png"))
			.route("/loop", redirect(302, "/loop"));
		try (RemoteFetcher fetcher = fetcher(true, origin.port())) {
			try (RemoteBody body = fetcher.open(origin.url("/one"))) {
				assertThat(body.stream().readAllBytes()).isEqualTo(BODY);
			}
			assertRefused(fetcher, origin.url("/to-metadata"),
					"it redirected to a URL that is not allowed: its host points to a non-public address (link-local)");
			assertRefused(fetcher, origin.url("/to-private"),
					"it redirected to a URL that is not allowed: its host points to a non-public address (private)");
			assertRefused(fetcher, origin.url("/to-file"),
					"it redirected to a URL that is not allowed: only http and https URLs are allowed");
			assertRefused(fetcher, origin.url("/to-decimal"), "it redirected to a URL that is not allowed: "
					+ "numeric host names must be written as four decimal numbers (a.b.c.d)");
			assertFailed(fetcher, origin.url("/loop"), FetchException.Kind.FAILED, "it redirected more than 3 times");
		}
		assertThat(origin.hits("/loop")).isEqualTo(4);
		assertThat(origin.hits("/three.png")).isEqualTo(1);
	}

	@Test
	void aRedirectToTheMetadataServiceOnAnAllowedPortIsRefusedByAddress() throws Exception {
		origin.route("/to-metadata", redirect(302, "http://169.254.169.254:" + origin.port() + "/latest/"));
		try (RemoteFetcher fetcher = fetcher(true, origin.port())) {
			assertRefused(fetcher, origin.url("/to-metadata"),
					"it redirected to a URL that is not allowed: its host points to a non-public address (link-local)");
		}
	}

	@Test
	void clientErrorsFailForGoodAndServerErrorsAreTransient() throws Exception {
		origin.route("/missing", answer(404, "nope".getBytes()))
			.route("/busy", answer(503, "later".getBytes()))
			.route("/slow-down", answer(429, new byte[0]))
			.route("/forbidden", answer(403, new byte[0]));
		try (RemoteFetcher fetcher = fetcher(true, origin.port())) {
			assertFailed(fetcher, origin.url("/missing"), FetchException.Kind.FAILED, "the server answered HTTP 404");
			assertFailed(fetcher, origin.url("/forbidden"), FetchException.Kind.FAILED, "the server answered HTTP 403");
			assertFailed(fetcher, origin.url("/busy"), FetchException.Kind.TRANSIENT, "the server answered HTTP 503");
			assertFailed(fetcher, origin.url("/slow-down"), FetchException.Kind.TRANSIENT,
					"the server answered HTTP 429");
		}
	}

	@Test
	void aCompressedBodyIsRefused() throws Exception {
		origin.route("/gz", answer(200, new byte[] { 0x1f, (byte) 0x8b, 8, 0 }, "Content-Encoding", "gzip"));
		try (RemoteFetcher fetcher = fetcher(true, origin.port())) {
			assertFailed(fetcher, origin.url("/gz"), FetchException.Kind.FAILED, "the server sent a compressed body");
		}
	}

	@Test
	void aSlowDripIsCutAtTheTotalDeadline() throws Exception {
		try (RawOrigin drip = new RawOrigin(out -> {
			out.write(RawOrigin.head("HTTP/1.1 200 OK\nContent-Length: 1000000\n\n"));
			for (int i = 0; i < 1_000_000; i++) {
				out.write('x');
				out.flush();
				Thread.sleep(100);
			}
		}); RemoteFetcher fetcher = new RemoteFetcher(props(true, drip.port(), Duration.ofSeconds(5)), host -> loopback())) {
			try (RemoteBody body = fetcher.open(drip.url("/drip"))) {
				InputStream in = body.stream();
				assertThatExceptionOfType(java.io.IOException.class).isThrownBy(() -> {
					while (in.read() != -1) {
						// drip
					}
				});
			}
		}
	}

	@Test
	void aSilentServerHitsTheReadTimeout() throws Exception {
		try (RawOrigin silent = new RawOrigin(out -> Thread.sleep(30_000));
				RemoteFetcher fetcher = new RemoteFetcher(
						new FetchProperties(true, Set.of(portOf(silent)), Duration.ofSeconds(1),
								Duration.ofMillis(500), Duration.ofSeconds(10), 3, 4, 2, 2048),
						host -> loopback())) {
			assertFailed(fetcher, silent.url("/x"), FetchException.Kind.TRANSIENT,
					"the server did not answer in time");
		}
	}

	@Test
	void closingAnEndlessBodyDoesNotDrainIt() throws Exception {
		byte[] chunk = new byte[64 * 1024];
		try (RawOrigin endless = new RawOrigin(out -> {
			out.write(RawOrigin.head("HTTP/1.1 200 OK\nConnection: close\n\n"));
			while (true) {
				out.write(chunk);
			}
		}); RemoteFetcher fetcher = new RemoteFetcher(props(true, endless.port(), Duration.ofSeconds(10)), host -> loopback())) {
			try (RemoteBody body = fetcher.open(endless.url("/endless"))) {
				assertThat(body.declaredLength()).isEqualTo(-1);
				assertThat(body.stream().readNBytes(1024 * 1024)).hasSize(1024 * 1024);
			}
		}
	}

	@Test
	void aContentLengthShorterThanTheBodyLimitsWhatIsRead() throws Exception {
		byte[] more = new byte[1024 * 1024];
		try (RawOrigin liar = new RawOrigin(out -> {
			out.write(RawOrigin.head("HTTP/1.1 200 OK\nContent-Length: 10\n\n"));
			out.write(more);
		}); RemoteFetcher fetcher = new RemoteFetcher(props(true, liar.port(), Duration.ofSeconds(5)), host -> loopback());
				RemoteBody body = fetcher.open(liar.url("/liar"))) {
			assertThat(body.declaredLength()).isEqualTo(10);
			assertThat(body.stream().readAllBytes()).hasSize(10);
		}
	}

	@Test
	void aContentLengthLongerThanTheBodyIsABrokenTransfer() throws Exception {
		try (RawOrigin liar = new RawOrigin(out -> {
			out.write(RawOrigin.head("HTTP/1.1 200 OK\nContent-Length: 1000\n\n0123456789"));
		}); RemoteFetcher fetcher = new RemoteFetcher(props(true, liar.port(), Duration.ofSeconds(5)), host -> loopback());
				RemoteBody body = fetcher.open(liar.url("/liar"))) {
			assertThatExceptionOfType(java.io.IOException.class).isThrownBy(() -> body.stream().readAllBytes());
		}
	}

	/**
	 * A second fetch waits for the host's one slot until its total deadline and then fails. The
	 * deadline also bounds the first fetch, which must be answered within it: 5 s, so a busy
	 * machine does not fail the fetch that holds the slot.
	 */
	@Test
	void concurrencyPerHostIsBounded() throws Exception {
		origin.route("/a.png", answer(200, BODY));
		FetchProperties oneAtATime = new FetchProperties(true, Set.of(origin.port()), Duration.ofSeconds(5),
				Duration.ofSeconds(5), Duration.ofSeconds(5), 3, 4, 1, 2048);
		try (RemoteFetcher fetcher = new RemoteFetcher(oneAtATime, host -> loopback());
				RemoteBody held = fetcher.open(origin.url("/a.png"))) {
			assertThat(held.stream().readAllBytes()).isEqualTo(BODY);
			assertFailed(fetcher, origin.url("/a.png"), FetchException.Kind.TRANSIENT,
					"too many fetches were in progress");
		}
	}

	@Test
	void aHostNameLookupThatHangsIsCutShortAndWorthARetry() throws Exception {
		java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
		// like the system resolver, it cannot be interrupted
		NameResolver hanging = host -> {
			while (release.getCount() > 0) {
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					// ignored
				}
			}
			throw new UnknownHostException(host);
		};
		FetchProperties props = new FetchProperties(true, Set.of(80, 443), Duration.ofSeconds(2), Duration.ofSeconds(2),
				Duration.ofSeconds(10), 3, 1, 1, 2048, Duration.ofMillis(300));
		try (RemoteFetcher fetcher = new RemoteFetcher(props, hanging)) {
			assertFailed(fetcher, "http://slow-dns.test/a.png", FetchException.Kind.TRANSIENT,
					"its host name could not be resolved within 0.3s");
			// the stuck lookups hold their threads, but never more than the bound; then it fails at once
			assertFailed(fetcher, "http://slow-dns.test/b.png", FetchException.Kind.TRANSIENT,
					"its host name could not be resolved within 0.3s");
			assertFailed(fetcher, "http://slow-dns.test/c.png", FetchException.Kind.TRANSIENT,
					"too many host name lookups were in progress");
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void aServerThatFailsTheTlsHandshakeFailsTheItemForGood() throws Exception {
		// a server that answers the TLS client hello in plain HTTP: no valid handshake can happen
		try (java.net.ServerSocket plain = new java.net.ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
				RemoteFetcher fetcher = fetcher(true, plain.getLocalPort())) {
			Thread server = new Thread(() -> {
				try (java.net.Socket socket = plain.accept()) {
					socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes());
					socket.getOutputStream().flush();
					Thread.sleep(5_000);
				}
				catch (java.io.IOException | InterruptedException ex) {
					// the client hung up
				}
			}, "plain-origin");
			server.setDaemon(true);
			server.start();
			assertThatExceptionOfType(FetchException.class)
				.isThrownBy(() -> fetcher.open("https://127.0.0.1:" + plain.getLocalPort() + "/a.png").close())
				.satisfies(ex -> assertThat(ex.kind()).as(String.valueOf(ex.getCause())).isEqualTo(FetchException.Kind.FAILED))
				.withMessageStartingWith("its server");
		}
	}

	@Test
	void aServerWithACertificateFromAnUnknownAuthorityFailsTheItemForGood() throws Exception {
		com.sun.net.httpserver.HttpsServer tls = com.sun.net.httpserver.HttpsServer
			.create(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
		tls.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(selfSigned()));
		AtomicInteger handshakes = new AtomicInteger();
		tls.createContext("/", exchange -> {
			handshakes.incrementAndGet();
			exchange.sendResponseHeaders(200, BODY.length);
			exchange.getResponseBody().write(BODY);
			exchange.close();
		});
		tls.start();
		try (RemoteFetcher fetcher = fetcher(true, tls.getAddress().getPort())) {
			assertThatExceptionOfType(FetchException.class)
				.isThrownBy(() -> fetcher.open("https://127.0.0.1:" + tls.getAddress().getPort() + "/a.png").close())
				.satisfies(ex -> assertThat(ex.kind()).as(String.valueOf(ex.getCause())).isEqualTo(FetchException.Kind.FAILED))
				.withMessage("its server's TLS certificate or handshake was not accepted");
			assertThat(handshakes).as("no request got through").hasValue(0);
		}
		finally {
			tls.stop(0);
		}
	}

	/** A TLS context with a self-signed certificate for 127.0.0.1 that no trust store knows. */
	private static javax.net.ssl.SSLContext selfSigned() throws Exception {
		char[] password = "test-only".toCharArray();
		java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
		try (InputStream in = RemoteFetcherTest.class.getResourceAsStream("/tls/self-signed-origin.p12")) {
			store.load(in, password);
		}
		javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory
			.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
		keys.init(store, password);
		javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
		context.init(keys.getKeyManagers(), null, null);
		return context;
	}

	private static int portOf(RawOrigin origin) {
		return origin.port();
	}

	private static InetAddress[] loopback() throws UnknownHostException {
		return new InetAddress[] { InetAddress.getByName("127.0.0.1") };
	}

	private static void assertRefused(RemoteFetcher fetcher, String url, String reason) {
		assertFailed(fetcher, url, FetchException.Kind.REFUSED, reason);
	}

	private static void assertFailed(RemoteFetcher fetcher, String url, FetchException.Kind kind, String reason) {
		assertThatExceptionOfType(FetchException.class).isThrownBy(() -> fetcher.open(url).close())
			.satisfies(ex -> assertThat(ex.kind()).isEqualTo(kind))
			.withMessage(reason);
	}

	private RemoteFetcher fetcher(boolean allowLoopback, int port) {
		return new RemoteFetcher(props(allowLoopback, port, Duration.ofSeconds(5)), host -> {
			throw new UnknownHostException("tests resolve no names: " + host);
		});
	}

	static FetchProperties props(boolean allowLoopback, int port, Duration total) {
		return new FetchProperties(allowLoopback, new java.util.HashSet<>(java.util.List.of(80, 443, port)), Duration.ofSeconds(2), Duration.ofSeconds(2),
				total, 3, 4, 2, 2048);
	}

}
