package dev.intake.status.query;

import java.net.URI;
import java.time.Duration;

import dev.intake.contracts.BatchKey;
import org.apache.kafka.streams.state.HostInfo;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Asks the instance that owns a batch for its status, over the same internal endpoint, marked
 * as forwarded so that instance answers from its own store or says "retry" but never forwards
 * again (no loops while instances disagree during a rebalance).
 */
class PeerForwarder {

	/** Marks a look-up that one instance forwarded to another. */
	static final String FORWARDED_HEADER = "X-Intake-Forwarded";

	private final WebClient client;

	private final Duration timeout;

	PeerForwarder(WebClient client, Duration timeout) {
		this.client = client;
		this.timeout = timeout;
	}

	Mono<StatusAnswer> forward(HostInfo owner, BatchKey key) {
		// an IPv6 literal needs brackets in a URI
		String host = (owner.host().contains(":") && !owner.host().startsWith("[")) ? "[" + owner.host() + "]"
				: owner.host();
		URI uri = UriComponentsBuilder.newInstance()
			.scheme("http")
			.host(host)
			.port(owner.port())
			.path(BatchStatusController.PATH)
			.buildAndExpand(key.tenant(), key.batchId())
			.encode()
			.toUri();
		return client.get()
			.uri(uri)
			.header(FORWARDED_HEADER, "true")
			.exchangeToMono(response -> response.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.map(body -> relayed(response.statusCode().value(), response.headers().asHttpHeaders(), body)))
			.timeout(timeout)
			.onErrorMap(ex -> new StatusUnavailableException("forwarding to " + owner + " failed: " + ex, ex));
	}

	private static StatusAnswer relayed(int status, HttpHeaders received, byte[] body) {
		// Only the owner's own answers are passed on; anything else (a proxy error page, a 500)
		// means "retry", in our error shape.
		if (!isStatusAnswer(status, received.getContentType(), body)) {
			return new StatusAnswer.Unavailable("the owning instance answered " + status);
		}
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(received.getContentType());
		String retryAfter = received.getFirst(HttpHeaders.RETRY_AFTER);
		if (retryAfter != null) {
			headers.set(HttpHeaders.RETRY_AFTER, retryAfter);
		}
		return new StatusAnswer.Relayed(status, headers, body);
	}

	private static boolean isStatusAnswer(int status, MediaType contentType, byte[] body) {
		boolean expectedStatus = status == HttpStatus.OK.value() || status == HttpStatus.NOT_FOUND.value()
				|| status == HttpStatus.SERVICE_UNAVAILABLE.value();
		boolean json = contentType != null && MediaType.APPLICATION_JSON.isCompatibleWith(contentType);
		return expectedStatus && json && body.length > 0;
	}

}
