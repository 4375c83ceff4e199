package dev.intake.api.status;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.intake.api.error.ApiProblem;
import dev.intake.api.limits.TenantQuotas;
import dev.intake.contracts.ApiError;
import dev.intake.contracts.BatchKey;
import dev.intake.contracts.LogSafe;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Relays the live progress of a batch from the status-service as Server-Sent Events, event by
 * event (heartbeat comments included), until the status-service ends the stream. Before the
 * stream starts, the status-service's error answers (404/1203, 503 with {@code Retry-After}) are
 * passed on as they are. A stream that stays silent longer than the idle timeout, or breaks,
 * ends quietly: an {@code EventSource} client reconnects and gets the current state first.
 * A tenant has at most {@code intake.limits.event-streams} open at once on this instance (429
 * beyond), so no one tenant takes every stream connection to the status-service.
 */
final class BatchEventsRelay {

	private static final Log logger = LogFactory.getLog(BatchEventsRelay.class);

	private final StatusServiceClient statusService;

	private final BatchStatusRelay answers;

	private final StatusServiceProperties properties;

	private final TenantQuotas quotas;

	BatchEventsRelay(StatusServiceClient statusService, BatchStatusRelay answers, StatusServiceProperties properties,
			TenantQuotas quotas) {
		this.statusService = statusService;
		this.answers = answers;
		this.properties = properties;
		this.quotas = quotas;
	}

	Mono<ResponseEntity<?>> events(String tenant, String batchId) {
		if (!BatchKey.isValidBatchId(batchId)) {
			return Mono.error(new ApiProblem(HttpStatus.NOT_FOUND, ApiError.BATCH_NOT_FOUND,
					ApiError.BATCH_NOT_FOUND_MESSAGE));
		}
		return Mono.defer(() -> {
			ApiProblem tooMany = quotas.openEventStream(tenant);
			if (tooMany != null) {
				return Mono.error(tooMany);
			}
			AtomicBoolean open = new AtomicBoolean(true);
			Runnable close = () -> {
				if (open.compareAndSet(true, false)) {
					quotas.closeEventStream(tenant);
				}
			};
			// the stream's end gives it back; so does any answer without a stream, or a cancel before one
			return relay(tenant, batchId, close).doOnNext(response -> {
				if (!(response.getBody() instanceof Flux<?>)) {
					close.run();
				}
			}).doOnError(ex -> close.run()).doOnCancel(close);
		});
	}

	private Mono<ResponseEntity<?>> relay(String tenant, String batchId, Runnable close) {
		Duration idle = properties.eventsIdleTimeout();
		return statusService
			.batchEvents(tenant, batchId, response -> answers.relay(response).map(StatusServiceAnswer::new))
			.<ResponseEntity<?>>map(stream -> ResponseEntity.ok()
				.contentType(MediaType.TEXT_EVENT_STREAM)
				.header("X-Accel-Buffering", "no")
				.body(stream.getBody().timeout(idle).onErrorResume(ex -> {
					logger.debug("Live status of " + tenant + "/" + LogSafe.text(batchId) + " ended: " + ex);
					return Flux.empty();
				}).doFinally(signal -> close.run())))
			.onErrorResume(StatusServiceAnswer.class, answer -> Mono.just(answer.response))
			.onErrorMap(ex -> !(ex instanceof ApiProblem), ex -> {
				logger.warn("Live status of " + tenant + "/" + LogSafe.text(batchId) + " unavailable: " + ex);
				return ApiProblem.unavailable(BatchStatusRelay.UNAVAILABLE_MESSAGE, Duration.ofSeconds(1));
			});
	}

	/** The status-service answered with an error before any stream: passed on as it is. */
	private static final class StatusServiceAnswer extends RuntimeException {

		private final ResponseEntity<byte[]> response;

		StatusServiceAnswer(ResponseEntity<byte[]> response) {
			super(null, null, false, false);
			this.response = response;
		}

	}

}
