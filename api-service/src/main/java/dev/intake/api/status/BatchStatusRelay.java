package dev.intake.api.status;

import java.time.Duration;

import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.ApiError;
import dev.intake.contracts.BatchKey;
import dev.intake.contracts.LogSafe;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * Answers a batch status look-up by asking the status-service, and relays its status code, JSON body,
 * {@code Retry-After} and {@code ETag} as they are. Ids that cannot exist are answered 404 without
 * asking; an unreachable or slow status-service is answered 503 with {@code Retry-After: 1}.
 * <p>
 * A finished batch's answer is tagged by the status-service; it is kept here
 * ({@link FinishedStatusAnswers}) and asked for again with {@code If-None-Match}, so an unchanged
 * answer comes back as a bodiless 304 and goes out from here. A client that sends the tag itself is
 * answered 304 in turn (Spring's conditional-request check of a tagged {@code ResponseEntity}).
 */
final class BatchStatusRelay {

	private static final Log logger = LogFactory.getLog(BatchStatusRelay.class);

	static final String UNAVAILABLE_MESSAGE = "Batch status is temporarily unavailable, please retry.";

	private final StatusServiceClient statusService;

	private final StatusServiceProperties properties;

	private final FinishedStatusAnswers finished;

	BatchStatusRelay(StatusServiceClient statusService, StatusServiceProperties properties,
			FinishedStatusAnswers finished) {
		this.statusService = statusService;
		this.properties = properties;
		this.finished = finished;
	}

	Mono<ResponseEntity<byte[]>> status(String tenant, String batchId) {
		if (!BatchKey.isValidBatchId(batchId)) {
			return Mono.error(new ApiProblem(HttpStatus.NOT_FOUND, ApiError.BATCH_NOT_FOUND,
					ApiError.BATCH_NOT_FOUND_MESSAGE));
		}
		// a valid batch id has no '/', so the key names one batch of one tenant
		String key = tenant + "/" + batchId;
		FinishedStatusAnswers.Held held = finished.get(key);
		return statusService
			.batchStatus(tenant, batchId, (held != null) ? held.etag() : null, response -> relay(response, key, held))
			.onErrorMap(ex -> {
				logger.warn("Status of " + tenant + "/" + LogSafe.text(batchId) + " unavailable: " + ex);
				return ApiProblem.unavailable(UNAVAILABLE_MESSAGE, Duration.ofSeconds(1));
			});
	}

	/**
	 * The status-service's answer, as it came: status, bounded JSON body, Retry-After. Only its own
	 * answers (200, 404, 503 with a JSON body) are relayed; anything else, e.g. a proxy's 502 or
	 * a framework error page, is an unavailable status-service to the client.
	 */
	Mono<ResponseEntity<byte[]>> relay(ClientResponse response) {
		return relay(response, null, null);
	}

	/**
	 * The same, for a look-up of {@code key} asked with the tag of {@code held} (or null): a 304
	 * for that tag is answered with the kept bytes; a tagged 200 is kept, anything else forgotten.
	 */
	private Mono<ResponseEntity<byte[]>> relay(ClientResponse response, String key, FinishedStatusAnswers.Held held) {
		int code = response.statusCode().value();
		String etag = response.headers().asHttpHeaders().getETag();
		if (code == HttpStatus.NOT_MODIFIED.value()) {
			if (held == null || !held.etag().equals(etag)) {
				return response.releaseBody()
					.then(Mono.error(new IllegalStateException("304 from the status-service for another tag")));
			}
			return response.releaseBody().thenReturn(tagged(held.etag(), held.body()));
		}
		boolean json = response.headers().contentType().map(MediaType.APPLICATION_JSON::isCompatibleWith).orElse(false);
		if (!json || (code != 200 && code != 404 && code != 503)) {
			return response.releaseBody()
				.then(Mono.error(new IllegalStateException("unexpected answer " + code + " from the status-service")));
		}
		int maxSize = Math.toIntExact(properties.maxResponseSize().toBytes());
		return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), maxSize).map(buffer -> {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			DataBufferUtils.release(buffer);
			return bytes;
		}).switchIfEmpty(Mono.error(new IllegalStateException("empty answer from the status-service"))).map(body -> {
			HttpHeaders headers = new HttpHeaders();
			response.headers().contentType().ifPresent(headers::setContentType);
			String retryAfter = response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER);
			if (retryAfter != null) {
				headers.set(HttpHeaders.RETRY_AFTER, retryAfter);
			}
			if (key != null) {
				if (code == HttpStatus.OK.value() && etag != null) {
					finished.remember(key, etag, body);
				}
				else {
					finished.forget(key);
				}
			}
			if (etag != null) {
				headers.setETag(etag);
			}
			return ResponseEntity.status(response.statusCode()).headers(headers).body(body);
		});
	}

	private static ResponseEntity<byte[]> tagged(String etag, byte[] body) {
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).eTag(etag).body(body);
	}

}
