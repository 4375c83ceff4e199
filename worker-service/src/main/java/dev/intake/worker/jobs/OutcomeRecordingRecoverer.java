package dev.intake.worker.jobs;

import java.time.Clock;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.intake.contracts.IngestImage;
import dev.intake.worker.ingest.ImageIngestion;
import dev.intake.worker.ingest.ItemFailures;
import dev.intake.worker.ingest.JobCheck;

import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;

/**
 * Wraps {@link FailedJobRecoverer}: once it has dead-lettered a job and published the item's
 * failure, the same failure is recorded where the job's source keeps its outcome
 * ({@link ImageIngestion#recordFailure}: a file-service version checked in place), so such an
 * item ends there too. Throws if recording fails; the record is then redelivered, as when the
 * recoverer's own publishing fails.
 */
final class OutcomeRecordingRecoverer implements ConsumerAwareRecordRecoverer {

	private final ConsumerAwareRecordRecoverer recoverer;

	private final ImageIngestion ingestion;

	private final Clock clock;

	OutcomeRecordingRecoverer(ConsumerAwareRecordRecoverer recoverer, ImageIngestion ingestion, Clock clock) {
		this.recoverer = recoverer;
		this.ingestion = ingestion;
		this.clock = clock;
	}

	@Override
	public void accept(ConsumerRecord<?, ?> record, Consumer<?, ?> consumer, Exception exception) {
		recoverer.accept(record, consumer, exception);
		if (record.value() instanceof IngestImage job && JobCheck.isAddressable(job)) {
			ingestion.recordFailure(job, FailedJobRecoverer.isTransient(exception)
					? ItemFailures.retriesExhausted(job, exception, clock.instant())
					: ItemFailures.processingFailed(job, clock.instant()));
		}
	}

}
