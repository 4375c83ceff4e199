package dev.intake.worker.jobs;

import java.time.Clock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemResult.ImageFailed;
import dev.intake.contracts.LogSafe;
import dev.intake.worker.ingest.ItemFailures;
import dev.intake.worker.ingest.JobCheck;
import dev.intake.worker.ingest.ResultPublisher;
import dev.intake.worker.ingest.TransientFailure;

import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;

/**
 * The last stop of a job that could not be processed (retries exhausted, unexpected failure, or
 * not deserializable): the record goes to the dead-letter topic with the reason in headers,
 * then, if the job is readable, its item gets a final {@link ImageFailed} result, so every
 * accepted item ends. Throws if either publish fails; the record is then redelivered.
 */
class FailedJobRecoverer implements ConsumerAwareRecordRecoverer {

	private static final Log logger = LogFactory.getLog(FailedJobRecoverer.class);

	private final ConsumerAwareRecordRecoverer deadLetters;

	private final ResultPublisher results;

	private final Clock clock;

	FailedJobRecoverer(ConsumerAwareRecordRecoverer deadLetters, ResultPublisher results, Clock clock) {
		this.deadLetters = deadLetters;
		this.results = results;
		this.clock = clock;
	}

	@Override
	public void accept(ConsumerRecord<?, ?> record, Consumer<?, ?> consumer, Exception exception) {
		deadLetters.accept(record, consumer, exception);
		String where = "partition=" + record.partition() + " offset=" + record.offset();
		if (record.value() instanceof IngestImage job && JobCheck.isAddressable(job)) {
			ImageFailed failed = isTransient(exception) ? ItemFailures.retriesExhausted(job, clock.instant())
					: ItemFailures.processingFailed(job, clock.instant());
			results.publish(failed);
			logger.warn("Failed item tenant=" + LogSafe.text(job.tenant()) + " batch=" + LogSafe.text(job.batchId())
					+ " index=" + job.index() + " attempt=" + job.attempt() + " code=" + failed.code()
					+ " (job dead-lettered, " + where + "): " + LogSafe.text(rootMessage(exception)));
		}
		else {
			logger.warn("Dead-lettered an unusable job record key=" + LogSafe.text(record.key()) + " " + where + ": "
					+ LogSafe.text(rootMessage(exception)));
		}
	}

	static boolean isTransient(Throwable exception) {
		for (Throwable t = exception; t != null; t = t.getCause()) {
			if (t instanceof TransientFailure) {
				return true;
			}
		}
		return false;
	}

	private static String rootMessage(Throwable exception) {
		Throwable root = exception;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

}
