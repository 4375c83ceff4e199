package dev.intake.status.web;

import dev.intake.contracts.BatchKey;
import dev.intake.contracts.InternalApi;
import dev.intake.status.lookup.BatchStatusQuery;
import dev.intake.status.lookup.PeerForwarder;
import dev.intake.status.view.RetryableItemsView;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /internal/batches/{tenant}/{batchId}/retryable}: the failed items of a batch that a
 * retry round would run again, with their sources (see {@link RetryableItemsView}). Looked up
 * like the status (same store, read-your-writes, forwarded once to the owner) and answered with
 * the same 404/1203 and 503/1500. Called only by the api-service, after authentication.
 */
@RestController
class RetryableItemsController {

	static final String PATH = InternalApi.BATCH_RETRYABLE;

	private static final Log logger = LogFactory.getLog(RetryableItemsController.class);

	private final BatchStatusQuery query;

	RetryableItemsController(BatchStatusQuery query) {
		this.query = query;
	}

	@GetMapping(PATH)
	Mono<ResponseEntity<Object>> retryable(@PathVariable String tenant, @PathVariable String batchId,
			@RequestHeader(name = PeerForwarder.FORWARDED_HEADER, required = false) String forwarded) {
		if (!BatchKey.TENANT.matcher(tenant).matches() || !BatchKey.isValidBatchId(batchId)) {
			return Mono.just(BatchStatusController.notFound());
		}
		return query
			.find(new BatchKey(tenant, batchId), forwarded != null, PATH,
					progress -> RetryableItemsView.of(batchId, progress))
			.map(BatchStatusController::toResponse)
			.onErrorResume(ex -> {
				logger.warn("Retryable items of " + tenant + "/" + batchId + " unavailable", ex);
				return Mono.just(BatchStatusController.unavailable());
			});
	}

}
