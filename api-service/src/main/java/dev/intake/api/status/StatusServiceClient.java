package dev.intake.api.status;

import java.time.Duration;
import java.util.function.Function;

import dev.intake.contracts.InternalApi;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Every call of this api-service to the status-service's internal API ({@link InternalApi}): base
 * URL, the shared service credential on every request, and the look-up deadline. Each call hands
 * the status-service's answer to the caller, who decides what it means to its own client. Live
 * progress streams use connections of their own, so open streams never hold up a look-up.
 */
public final class StatusServiceClient {

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	private final WebClient client;

	private final WebClient streams;

	private final Duration timeout;

	StatusServiceClient(WebClient client, WebClient streams, Duration timeout) {
		this.client = client;
		this.streams = streams;
		this.timeout = timeout;
	}

	/** The status of a batch ({@link InternalApi#BATCH_STATUS}), read by {@code answer}, within the deadline. */
	<T> Mono<T> batchStatus(String tenant, String batchId, Function<ClientResponse, Mono<T>> answer) {
		return batchStatus(tenant, batchId, null, answer);
	}

	/**
	 * The same, asked with {@code If-None-Match: ifNoneMatch} when that is not null: the
	 * status-service then answers 304 without a body while its answer still has that tag.
	 */
	<T> Mono<T> batchStatus(String tenant, String batchId, String ifNoneMatch,
			Function<ClientResponse, Mono<T>> answer) {
		return client.get()
			.uri(InternalApi.BATCH_STATUS, tenant, batchId)
			.accept(MediaType.APPLICATION_JSON)
			.headers(headers -> {
				if (ifNoneMatch != null) {
					headers.setIfNoneMatch(ifNoneMatch);
				}
			})
			.exchangeToMono(answer)
			.timeout(timeout);
	}

	/**
	 * Whether the status-service knows a batch of this id (it was queued and has not expired);
	 * ends with an error when the status-service cannot say within the deadline.
	 */
	public Mono<Boolean> batchExists(String tenant, String batchId) {
		return batchStatus(tenant, batchId, response -> switch (response.statusCode().value()) {
			case 200 -> response.releaseBody().thenReturn(true);
			case 404 -> response.releaseBody().thenReturn(false);
			default -> response.releaseBody()
				.then(Mono.error(new IllegalStateException(
						"status-service answered " + response.statusCode().value() + " for batch " + batchId)));
		});
	}

	/**
	 * The live progress of a batch ({@link InternalApi#BATCH_EVENTS}): the stream, once the
	 * status-service starts it within the deadline; any other answer goes to {@code refusal},
	 * whose error the returned {@code Mono} ends with.
	 */
	public Mono<ResponseEntity<Flux<ServerSentEvent<String>>>> batchEvents(String tenant, String batchId,
			Function<ClientResponse, Mono<? extends Throwable>> refusal) {
		return streams.get()
			.uri(InternalApi.BATCH_EVENTS, tenant, batchId)
			.accept(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON)
			.retrieve()
			.onStatus(status -> status.value() != HttpStatus.OK.value(), refusal)
			.toEntityFlux(SSE)
			.timeout(timeout);
	}

	/**
	 * An asset of the tenant's catalogue ({@link InternalApi#ASSET}), read by {@code answer},
	 * within the deadline; with {@code batchId}, as it is once that upload's file is applied.
	 */
	public <T> Mono<T> asset(String tenant, long id, String batchId, Function<ClientResponse, Mono<T>> answer) {
		return client.get()
			.uri(builder -> {
				builder.path(InternalApi.ASSET);
				if (batchId != null) {
					builder.queryParam("batch", batchId);
				}
				return builder.build(tenant, id);
			})
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono(answer)
			.timeout(timeout);
	}

	/**
	 * The files linked to one batch of one nursery of the tenant ({@link InternalApi#NURSERY_LINKS}),
	 * read by {@code answer}, within the deadline; every link committed before the call is in it.
	 */
	public <T> Mono<T> nurseryLinks(String tenant, long nurseryId, long batchId,
			Function<ClientResponse, Mono<T>> answer) {
		return client.get()
			.uri(InternalApi.NURSERY_LINKS, tenant, nurseryId, batchId)
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono(answer)
			.timeout(timeout);
	}

	/**
	 * Where the verified bytes of a content of the tenant are ({@link InternalApi#CONTENT}), read
	 * by {@code answer}, within the deadline.
	 */
	public <T> Mono<T> content(String tenant, String sha256, Function<ClientResponse, Mono<T>> answer) {
		return client.get()
			.uri(InternalApi.CONTENT, tenant, sha256)
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono(answer)
			.timeout(timeout);
	}

	/**
	 * The failed items of a batch that a retry round would run again
	 * ({@link InternalApi#BATCH_RETRYABLE}), read by {@code answer}, within the deadline.
	 */
	public <T> Mono<T> retryableItems(String tenant, String batchId, Function<ClientResponse, Mono<T>> answer) {
		return client.get()
			.uri(InternalApi.BATCH_RETRYABLE, tenant, batchId)
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono(answer)
			.timeout(timeout);
	}

}
