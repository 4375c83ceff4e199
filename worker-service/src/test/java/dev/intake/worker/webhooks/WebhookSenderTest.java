package dev.intake.worker.webhooks;

import dev.intake.platform.observe.TenantTags;
import dev.intake.worker.metrics.WorkerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import dev.intake.platform.outbound.NameResolver;
import dev.intake.platform.webhooks.WebhooksProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery attempts against a receiver of this test on 127.0.0.1: signed so that the
 * {@code standardwebhooks} library verifies them, on a pooled connection per endpoint, and with
 * the host name lookup inside the attempt's timeout. Names are answered by resolvers of the test.
 */
@Timeout(30)
class WebhookSenderTest {

	private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	private final CountDownLatch release = new CountDownLatch(1);

	/** The client port of each request: the same port is the same connection. */
	private final Queue<Integer> clientPorts = new ConcurrentLinkedQueue<>();

	private final AtomicInteger unverified = new AtomicInteger();

	private HttpServer receiver;

	@BeforeEach
	void start() throws Exception {
		receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		receiver.createContext("/", exchange -> {
			try (exchange) {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
				headers.putAll(exchange.getRequestHeaders());
				try {
					new Webhook(SECRET).verify(body, headers);
				}
				catch (Exception ex) {
					unverified.incrementAndGet();
				}
				clientPorts.add(exchange.getRemoteAddress().getPort());
				byte[] answer = exchange.getRequestURI().getPath().equals("/large") ? new byte[64 * 1024] : new byte[] { 'o', 'k' };
				exchange.sendResponseHeaders(200, answer.length);
				exchange.getResponseBody().write(answer);
			}
		});
		receiver.start();
	}

	@AfterEach
	void stop() {
		release.countDown();
		receiver.stop(0);
	}

	@Test
	void deliveriesToOneEndpointShareAConnection() {
		try (WebhookSender sender = sender(Duration.ofSeconds(10), noNames())) {
			for (int i = 0; i < 3; i++) {
				WebhookSender.Outcome outcome = sender.send(url("/hook"), "msg_" + i, "{\"n\":" + i + "}", List.of(SECRET));
				assertThat(outcome.delivered()).as(String.valueOf(outcome.error())).isTrue();
				assertThat(outcome.code()).isEqualTo(200);
			}
		}
		assertThat(unverified).hasValue(0);
		assertThat(clientPorts).hasSize(3);
		assertThat(Set.copyOf(clientPorts)).as("connections used").hasSize(1);
	}

	@Test
	void aLongAnswerStillCountsButCostsItsConnection() {
		try (WebhookSender sender = sender(Duration.ofSeconds(10), noNames())) {
			assertThat(sender.send(url("/large"), "msg_a", "{}", List.of(SECRET)).delivered()).isTrue();
			assertThat(sender.send(url("/large"), "msg_b", "{}", List.of(SECRET)).delivered()).isTrue();
		}
		assertThat(Set.copyOf(clientPorts)).as("connections used").hasSize(2);
	}

	@Test
	void aHostNameLookupThatHangsCountsInsideTheAttemptTimeout() {
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
		try (WebhookSender sender = sender(Duration.ofSeconds(1), hanging)) {
			WebhookSender.Outcome outcome = sender.send("http://hooks.test:" + receiver.getAddress().getPort() + "/hook",
					"msg_dns", "{}", List.of(SECRET));
			assertThat(outcome.delivered()).isFalse();
			assertThat(outcome.code()).isZero();
			assertThat(outcome.error()).startsWith("the lookup failed: its host name could not be resolved within");
		}
		assertThat(clientPorts).isEmpty();
	}

	@Test
	void aNameThatResolvesToLoopbackIsPinnedToIt() {
		NameResolver loopback = host -> "hooks.test".equals(host) ? new InetAddress[] { InetAddress.getLoopbackAddress() }
				: noNames().resolve(host);
		try (WebhookSender sender = sender(Duration.ofSeconds(10), loopback)) {
			assertThat(sender.send("http://hooks.test:" + receiver.getAddress().getPort() + "/hook", "msg_n", "{}",
					List.of(SECRET)).delivered()).isTrue();
		}
		assertThat(unverified).hasValue(0);
	}

	private String url(String path) {
		return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
	}

	private WebhookSender sender(Duration timeout, NameResolver resolver) {
		WebhooksProperties props = new WebhooksProperties(true, Set.of(receiver.getAddress().getPort()), 2048, 20,
				Duration.ofHours(24), List.of(Duration.ofSeconds(1)), "0%", timeout, 1, 1, 4, 5, Duration.ofSeconds(30),
				100, Duration.ofSeconds(10));
		return new WebhookSender(props, new EndpointGuards(4, 5, Duration.ofSeconds(30), 100), Clock.systemUTC(),
				resolver, new WorkerMetrics(new SimpleMeterRegistry(), new TenantTags(10)));
	}

	private static NameResolver noNames() {
		return host -> {
			throw new UnknownHostException("tests resolve no names: " + host);
		};
	}

}
