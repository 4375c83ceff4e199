package dev.intake.status.lookup;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

import org.apache.kafka.streams.state.HostInfo;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Asks the instance that keeps a key the same internal look-up, marked as forwarded so that
 * instance answers from its own store or says "retry" but never forwards again (no loops while
 * instances disagree during a rebalance). Only that instance's own answers can be passed on: a
 * status the caller accepts, as non-empty JSON; anything else (a proxy error page, a 500) is an
 * {@link Answer} that is not {@link Answer#relayable() relayable}.
 */
public final class PeerRelay {

	/** Marks a look-up that one instance forwarded to another (the header of every forwarded look-up). */
	public static final String FORWARDED_HEADER = "X-Intake-Forwarded";

	private final WebClient client;

	private final Duration timeout;

	public PeerRelay(WebClient client, Duration timeout) {
		this.client = client;
		this.timeout = timeout;
	}

	/** The base of a URI on {@code peer}, for the caller to add its path, query and variables to. */
	public static UriComponentsBuilder at(HostInfo peer) {
		// an IPv6 literal needs brackets in a URI
		String host = (peer.host().contains(":") && !peer.host().startsWith("[")) ? "[" + peer.host() + "]"
				: peer.host();
		return UriComponentsBuilder.newInstance().scheme("http").host(host).port(peer.port());
	}

	/**
	 * Sends the forwarded look-up {@code uri} to {@code peer}.
	 * @param accepted the statuses of the peer's own answers to that route
	 * @return the peer's answer; a {@link StatusUnavailableException} when it cannot be had in time
	 */
	public Mono<Answer> get(HostInfo peer, URI uri, Set<Integer> accepted) {
		return client.get()
			.uri(uri)
			.header(FORWARDED_HEADER, "true")
			.exchangeToMono(response -> response.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.map(body -> answer(response.statusCode().value(), response.headers().asHttpHeaders(), body,
						accepted)))
			.timeout(timeout)
			.onErrorMap(ex -> new StatusUnavailableException("forwarding to " + peer + " failed: " + ex, ex));
	}

	static Answer answer(int status, HttpHeaders received, byte[] body, Set<Integer> accepted) {
		MediaType type = received.getContentType();
		boolean relayable = accepted.contains(status) && type != null && MediaType.APPLICATION_JSON.isCompatibleWith(type)
				&& body.length > 0;
		return new Answer(status, relayable, type, received.getFirst(HttpHeaders.RETRY_AFTER), received.getETag(),
				body);
	}

	/**
	 * A peer's answer.
	 * @param relayable whether it is one of the peer's own answers, to be passed on as it came;
	 * otherwise it means "retry"
	 * @param retryAfter its {@code Retry-After}, or null
	 * @param etag its entity tag, or null
	 */
	public record Answer(int status, boolean relayable, MediaType contentType, String retryAfter, String etag,
			byte[] body) {

		/** Why a not relayable answer cannot be passed on. */
		public String reason() {
			return "the instance asked answered " + status;
		}

	}

}
