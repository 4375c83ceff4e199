package dev.intake.status.lookup;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

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

/**
 * Asks the instance that owns a batch for its status or live events, over the same internal
 * endpoint, through a {@link PeerRelay} (answered there or not at all).
 */
public class PeerForwarder {

	/** Marks a look-up that one instance forwarded to another. */
	public static final String FORWARDED_HEADER = PeerRelay.FORWARDED_HEADER;

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	private static final Set<Integer> ACCEPTED = Set.of(HttpStatus.OK.value(), HttpStatus.NOT_FOUND.value(),
			HttpStatus.SERVICE_UNAVAILABLE.value());

	private final WebClient client;

	private final Duration timeout;

	private final PeerRelay relay;

	PeerForwarder(PeerRelays relays, Duration timeout) {
		this.client = relays.client();
		this.timeout = timeout;
		this.relay = relays.relay(timeout);
	}

	/** Asks the owner the same question at {@code path} (a batch look-up path with tenant and id). */
	Mono<StatusAnswer> forward(HostInfo owner, String path, BatchKey key) {
		return relay.get(owner, uri(owner, path, key), ACCEPTED).map(PeerForwarder::relayed);
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
				.map(body -> new OwnerAnswer(relayed(PeerRelay.answer(response.statusCode().value(),
						response.headers().asHttpHeaders(), body, ACCEPTED)))))
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
		return PeerRelay.at(owner).path(path).buildAndExpand(key.tenant(), key.batchId()).encode().toUri();
	}

	private static StatusAnswer relayed(PeerRelay.Answer answer) {
		// anything but the owner's own answer means "retry", in our error shape
		if (!answer.relayable()) {
			return new StatusAnswer.Unavailable(answer.reason());
		}
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(answer.contentType());
		if (answer.retryAfter() != null) {
			headers.set(HttpHeaders.RETRY_AFTER, answer.retryAfter());
		}
		if (answer.etag() != null) {
			headers.setETag(answer.etag());
		}
		return new StatusAnswer.Relayed(answer.status(), headers, answer.body());
	}

	/** The owner answered with an error (or something unexpected): no stream to relay. */
	private static final class OwnerAnswer extends RuntimeException {

		private final StatusAnswer answer;

		OwnerAnswer(StatusAnswer answer) {
			super(null, null, false, false);
			this.answer = answer;
		}

	}

}
