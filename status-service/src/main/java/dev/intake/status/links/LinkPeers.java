package dev.intake.status.links;

import java.net.URI;
import java.time.Duration;

import dev.intake.status.catalogue.CatalogueUnavailableException;
import org.apache.kafka.streams.state.HostInfo;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Asks the instance that keeps a nursery batch for its links, at the same internal route, marked
 * as forwarded so that instance answers from its own store or says "retry" but never forwards
 * again. Only its own answers (200 or 503 as JSON) are passed on.
 */
class LinkPeers {

	/** Marks a look-up that one instance forwarded to another (the header of every forwarded look-up). */
	static final String FORWARDED_HEADER = "X-Intake-Forwarded";

	private final WebClient client;

	private final Duration timeout;

	LinkPeers(WebClient client, Duration timeout) {
		this.client = client;
		this.timeout = timeout;
	}

	Mono<LinkAnswer> forward(HostInfo keeper, String tenant, long nurseryId, long batchId) {
		return client.get()
			.uri(uri(keeper, tenant, nurseryId, batchId))
			.header(FORWARDED_HEADER, "true")
			.exchangeToMono(response -> response.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.map(body -> relayed(response.statusCode().value(), response.headers().asHttpHeaders(), body)))
			.timeout(timeout)
			.onErrorMap(ex -> new CatalogueUnavailableException("forwarding to " + keeper + " failed: " + ex, ex));
	}

	private static URI uri(HostInfo keeper, String tenant, long nurseryId, long batchId) {
		// an IPv6 literal needs brackets in a URI
		String host = (keeper.host().contains(":") && !keeper.host().startsWith("[")) ? "[" + keeper.host() + "]"
				: keeper.host();
		return UriComponentsBuilder.newInstance()
			.scheme("http")
			.host(host)
			.port(keeper.port())
			.path(LinkController.PATH)
			.buildAndExpand(tenant, nurseryId, batchId)
			.encode()
			.toUri();
	}

	private static LinkAnswer relayed(int status, HttpHeaders headers, byte[] body) {
		boolean expected = status == HttpStatus.OK.value() || status == HttpStatus.SERVICE_UNAVAILABLE.value();
		MediaType type = headers.getContentType();
		if (!expected || type == null || !MediaType.APPLICATION_JSON.isCompatibleWith(type) || body.length == 0) {
			return new LinkAnswer.Unavailable("the keeping instance answered " + status);
		}
		return new LinkAnswer.Relayed(status, headers.getFirst(HttpHeaders.RETRY_AFTER), body);
	}

}
