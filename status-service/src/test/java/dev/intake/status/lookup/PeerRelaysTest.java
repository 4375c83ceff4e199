package dev.intake.status.lookup;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The relays every kind of forwarded look-up uses take answers up to
 * {@code forward-max-answer-size} whole, far above the HTTP client's default buffer (256 KB),
 * and refuse larger ones as "unavailable" rather than cutting them. A peer here is a loopback
 * server answering JSON of a chosen size.
 */
class PeerRelaysTest {

	private HttpServer peer;

	private volatile int answerSize;

	@BeforeEach
	void startPeer() throws Exception {
		peer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
		peer.createContext("/", exchange -> {
			byte[] body = json(answerSize);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		peer.start();
	}

	@AfterEach
	void stopPeer() {
		peer.stop(0);
	}

	@Test
	void forwardedAnswersUpToTheSettingArriveWhole() {
		PeerRelay relay = relays("4MB").relay(Duration.ofMinutes(1));
		answerSize = 1_500_000;
		PeerRelay.Answer answer = relay.get(host(), uri(), Set.of(200)).block(Duration.ofMinutes(2));
		assertThat(answer.relayable()).isTrue();
		assertThat(answer.body()).hasSize(1_500_000);
	}

	@Test
	void largerAnswersAreUnavailableNotCut() {
		PeerRelay relay = relays("64KB").relay(Duration.ofMinutes(1));
		answerSize = 100_000;
		assertThatThrownBy(() -> relay.get(host(), uri(), Set.of(200)).block(Duration.ofMinutes(2)))
			.isInstanceOf(StatusUnavailableException.class);
	}

	private static PeerRelays relays(String maxAnswer) {
		var props = new StatusProperties("127.0.0.1", 0, Duration.ofSeconds(5), Duration.ofMillis(5),
				Duration.ofSeconds(10), DataSize.parse(maxAnswer), true, DataSize.ofMegabytes(4));
		return new LookupConfiguration().peerRelays(WebClient.builder(), props);
	}

	private HostInfo host() {
		return new HostInfo("127.0.0.1", peer.getAddress().getPort());
	}

	private URI uri() {
		return PeerRelay.at(host()).path("/internal/anything").build().toUri();
	}

	/** A JSON string value padded to exactly {@code size} bytes. */
	private static byte[] json(int size) {
		return ("{\"v\":\"" + "x".repeat(size - 8) + "\"}").getBytes(StandardCharsets.US_ASCII);
	}

}
