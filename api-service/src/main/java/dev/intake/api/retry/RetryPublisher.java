package dev.intake.api.retry;

import java.util.List;

import dev.intake.contracts.BatchRetried;
import dev.intake.contracts.IngestImage;
import reactor.core.publisher.Mono;

/**
 * Publishes a retry round: its {@link BatchRetried} record and one {@link IngestImage} job per
 * item, all or nothing. Completes once they are durably published.
 */
interface RetryPublisher {

	Mono<Void> publish(BatchRetried round, List<IngestImage> jobs);

}
