package dev.intake.status.lookup;

import java.net.URI;
import java.time.Duration;

import dev.intake.contracts.BatchKey;
import dev.intake.contracts.InternalApi;
import org.apache.kafka.streams.state.HostInfo;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Asks the instance that owns a batch for its status, over the same internal endpoint, marked
 * as forwarded so that instance answers from its own store or says "retry" but never forwards
 * again (no loops while instances disagree during a rebalance).
 */
public class PeerForwarder {

	/** Marks a look-up that one instance forwarded to another. */
	public static final String FORWARDED_HEADER = "X-Intake-Forwarded";

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	private final WebClient client;

	private final Duration timeout;

	PeerForwarder(WebClient client, Duration timeout) {
		this.client = client;
		this.timeout = timeout;
	}

	/** Asks the owner the same question at {@code path} (a batch look-up path with tenant and id). */
	Mono<StatusAnswer> forward(HostInfo owner, String path, BatchKey key) {
		return client.get()
			.uri(uri(owner, path, key))
			.header(FORWARDED_HEADER, "true")
			.exchangeToMono(response -> response.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.map(body -> relayed(response.statusCode().value(), response.headers().asHttpHeaders(), body)))
			.timeout(timeout)
			.onErrorMap(ex -> new StatusUnavailableException("forwarding to " + owner + " failed: " + ex, ex));
	}

	/**
	 * Asks the owner for the live events of a batch and passes its answer on: its events one by
	 * one (the stream ends quietly when the owner goes away or stays silent past
	 * {@code idleTimeout}, so the client reconnects), or its JSON error answer as it came.
	 */
	public Mono<ResponseEntity<?>> forwardEvents(HostInfo owner, BatchKey key, Duration idleTimeout) {
		return client.get()
			.uri(uri(owner, InternalApi.BATCH_EVENTS, key))
			.header(FORWARDED_HEADER, "true")
			.accept(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON)
			.retrieve()
			.onStatus(status -> status.value() != HttpStatus.OK.value(), response -> response.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.map(body -> new OwnerAnswer(relayed(response.statusCode().value(), response.headers().asHttpHeaders(),
						body))))
			.toEntityFlux(SSE)
			.timeout(timeout)
			.<ResponseEntity<?>>map(answer -> ResponseEntity.ok()
				.contentType(MediaType.TEXT_EVENT_STREAM)
				.body(answer.getBody().timeout(idleTimeout).onErrorResume(ex -> Flux.empty())))
			.onErrorResume(OwnerAnswer.class, ex -> Mono.just(toResponse(ex.answer)))
			.onErrorMap(ex -> !(ex instanceof StatusUnavailableException),
					ex -> new StatusUnavailableException("forwarding to " + owner + " failed: " + ex, ex));
	}

	private static ResponseEntity<?> toResponse(StatusAnswer answer) {
		if (answer instanceof StatusAnswer.Relayed relayed) {
			return ResponseEntity.status(relayed.status()).headers(relayed.headers()).body(relayed.body());
		}
		throw new StatusUnavailableException(((StatusAnswer.Unavailable) answer).reason());
	}

	private static URI uri(HostInfo owner, String path, BatchKey key) {
		// an IPv6 literal needs brackets in a URI
		String host = (owner.host().contains(":") && !owner.host().startsWith("[")) ? "[" + owner.host() + "]"
				: owner.host();
		return UriComponentsBuilder.newInstance()
			.scheme("http")
			.host(host)
			.port(owner.port())
			.path(path)
			.buildAndExpand(key.tenant(), key.batchId())
			.encode()
			.toUri();
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

	/** The owner answered with an error (or something unexpected): no stream to relay. */
	private static final class OwnerAnswer extends RuntimeException {

		private final StatusAnswer answer;

		OwnerAnswer(StatusAnswer answer) {
			super(null, null, false, false);
			this.answer = answer;
		}

	}

	private static boolean isStatusAnswer(int status, MediaType contentType, byte[] body) {
		boolean expectedStatus = status == HttpStatus.OK.value() || status == HttpStatus.NOT_FOUND.value()
				|| status == HttpStatus.SERVICE_UNAVAILABLE.value();
		boolean json = contentType != null && MediaType.APPLICATION_JSON.isCompatibleWith(contentType);
		return expectedStatus && json && body.length > 0;
	}

}
