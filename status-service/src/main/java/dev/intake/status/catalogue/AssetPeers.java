package dev.intake.status.catalogue;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import org.apache.kafka.streams.state.HostInfo;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Asks the instance that owns an asset for it, at the same internal route, marked as forwarded
 * (the header batch look-ups use) so that instance answers from its own store or says "retry"
 * but never forwards again. Only its own answers (200, 404, 503 as JSON) are passed on.
 */
class AssetPeers {

	/** Marks a look-up that one instance forwarded to another. */
	static final String FORWARDED_HEADER = "X-Intake-Forwarded";

	private final WebClient client;

	private final Duration timeout;

	AssetPeers(WebClient client, Duration timeout) {
		this.client = client;
		this.timeout = timeout;
	}

	Mono<AssetAnswer> forward(HostInfo owner, String tenant, long id, String batchId) {
		return client.get()
			.uri(uri(owner, tenant, id, batchId))
			.header(FORWARDED_HEADER, "true")
			.exchangeToMono(response -> response.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.map(body -> relayed(response.statusCode().value(), response.headers().asHttpHeaders(), body)))
			.timeout(timeout)
			.onErrorMap(ex -> new CatalogueUnavailableException("forwarding to " + owner + " failed: " + ex, ex));
	}

	private static URI uri(HostInfo owner, String tenant, long id, String batchId) {
		// an IPv6 literal needs brackets in a URI
		String host = (owner.host().contains(":") && !owner.host().startsWith("[")) ? "[" + owner.host() + "]"
				: owner.host();
		return UriComponentsBuilder.newInstance()
			.scheme("http")
			.host(host)
			.port(owner.port())
			.path(AssetController.PATH)
			.queryParamIfPresent(AssetController.BATCH_PARAM, Optional.ofNullable(batchId))
			.buildAndExpand(tenant, id)
			.encode()
			.toUri();
	}

	private static AssetAnswer relayed(int status, HttpHeaders headers, byte[] body) {
		boolean expected = status == HttpStatus.OK.value() || status == HttpStatus.NOT_FOUND.value()
				|| status == HttpStatus.SERVICE_UNAVAILABLE.value();
		MediaType type = headers.getContentType();
		if (!expected || type == null || !MediaType.APPLICATION_JSON.isCompatibleWith(type) || body.length == 0) {
			return new AssetAnswer.Unavailable("the owning instance answered " + status);
		}
		return new AssetAnswer.Relayed(status, headers.getFirst(HttpHeaders.RETRY_AFTER), body);
	}

}
