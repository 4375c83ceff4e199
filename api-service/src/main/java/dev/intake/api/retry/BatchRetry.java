package dev.intake.api.retry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.ApiError;
import dev.intake.contracts.BatchKey;
import dev.intake.contracts.BatchRetried;
import dev.intake.contracts.IngestImage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;

/**
 * Runs the failed items of a finished batch again as the next retry round. Asks the
 * status-service which items can change (see {@link RetryableItemsClient}), refuses a batch that
 * is still processing or has nothing to retry (409), then publishes a {@link BatchRetried} with
 * the next round number and one {@link IngestImage} per item with attempt {@code round + 1}.
 * <p>
 * Two retries racing both read round {@code n} and both publish round {@code n + 1}; the status
 * view applies it once and counts each item's first result of that attempt once, and the
 * duplicate jobs write the same objects, so they count as one retry.
 */
final class BatchRetry {

	private static final Log logger = LogFactory.getLog(BatchRetry.class);

	static final String STILL_PROCESSING = "The batch is still processing; its failed items can be retried "
			+ "once every item has finished.";

	static final String NO_FAILED_ITEMS = "The batch has no failed items to retry.";

	static final String NOTHING_RETRYABLE = "None of the batch's failed items can be retried: "
			+ "they would fail the same way again.";

	static final String PUBLISH_FAILED = "The retry could not be queued, please try again.";

	private final RetryableItemsClient items;

	private final RetryPublisher publisher;

	private final Clock clock;

	BatchRetry(RetryableItemsClient items, RetryPublisher publisher, Clock clock) {
		this.items = items;
		this.publisher = publisher;
		this.clock = clock;
	}

	Mono<RetryResponse> retry(String tenant, String batchId) {
		if (!BatchKey.isValidBatchId(batchId)) {
			return Mono.error(new ApiProblem(HttpStatus.NOT_FOUND, ApiError.BATCH_NOT_FOUND,
					ApiError.BATCH_NOT_FOUND_MESSAGE));
		}
		BatchKey key = new BatchKey(tenant, batchId);
		return items.find(tenant, batchId).flatMap(batch -> {
			refuseUnlessRetryable(batch);
			int round = batch.retryRound() + 1;
			int attempt = BatchRetried.attemptOf(round);
			List<IngestImage> jobs = batch.items()
				.stream()
				.map(item -> new IngestImage(tenant, batchId, item.itemId(), item.index(), item.name(), item.source(),
						attempt))
				.toList();
			BatchRetried retried = new BatchRetried(tenant, batchId, round,
					jobs.stream().map(IngestImage::index).toList(), clock.instant());
			return publisher.publish(retried, jobs)
				.onErrorMap(ex -> {
					logger.warn("Publishing retry round " + round + " of " + key + " failed: " + ex);
					return ApiProblem.unavailable(PUBLISH_FAILED, Duration.ofSeconds(1));
				})
				.then(Mono.fromSupplier(() -> {
					logger.info("Retry round " + round + " of " + key + ": " + jobs.size() + " items queued");
					return RetryResponse.of(batch, retried);
				}));
		});
	}

	private static void refuseUnlessRetryable(RetryableItems batch) {
		if (!RetryableItems.FINISHED.equals(batch.status())) {
			throw new ApiProblem(HttpStatus.CONFLICT, ApiError.BATCH_IN_PROGRESS, STILL_PROCESSING);
		}
		if (batch.items().isEmpty()) {
			throw new ApiProblem(HttpStatus.CONFLICT, ApiError.NOTHING_TO_RETRY,
					(batch.failedCount() == 0) ? NO_FAILED_ITEMS : NOTHING_RETRYABLE);
		}
		if (batch.items().stream().anyMatch(item -> item.source() == null || item.itemId() == null)) {
			throw new IllegalStateException("retryable item without a source");
		}
	}

}
