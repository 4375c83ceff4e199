package dev.intake.worker.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemIds;
import dev.intake.contracts.ItemResult.ImageFailed;
import dev.intake.contracts.LogSafe;
import dev.intake.worker.ingest.ItemFailures;
import dev.intake.worker.ingest.JobCheck;
import dev.intake.worker.ingest.ResultPublisher;
import dev.intake.worker.ingest.TransientFailure;

import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.support.serializer.DeserializationException;

/**
 * The last stop of a job that could not be processed (retries exhausted, its last delivery
 * reached, unexpected failure, or not deserializable): the record goes to the dead-letter topic
 * with the reason in headers, then its item gets a final {@link ImageFailed} result (an unreadable
 * job's item is the one its key names), so every accepted item ends. Throws if either publish
 * fails; {@link ImageJobListener} then releases the job for another delivery.
 * <p>
 * A job that failed only because its thread was interrupted (a decode or a publish cancelled
 * while the worker shuts down) says nothing about the job: it is neither dead-lettered nor
 * failed. The recoverer throws {@link JobInterruptedException} instead, and the job is released.
 */
class FailedJobRecoverer implements ConsumerAwareRecordRecoverer {

	private static final Log logger = LogFactory.getLog(FailedJobRecoverer.class);

	private static final Pattern ATTEMPT = Pattern.compile("\"attempt\"\\s*:\\s*(\\d{1,9})\\b");

	private final ConsumerAwareRecordRecoverer deadLetters;

	private final ResultPublisher results;

	private final Clock clock;

	private final java.util.function.Consumer<IngestImage> discardStaged;

	/**
	 * @param discardStaged what to do with the staged upload of a failed job once its result is
	 * durable: nothing to keep it for a retry, else delete it
	 */
	FailedJobRecoverer(ConsumerAwareRecordRecoverer deadLetters, ResultPublisher results, Clock clock,
			java.util.function.Consumer<IngestImage> discardStaged) {
		this.deadLetters = deadLetters;
		this.results = results;
		this.clock = clock;
		this.discardStaged = discardStaged;
	}

	@Override
	public void accept(ConsumerRecord<?, ?> record, Consumer<?, ?> consumer, Exception exception) {
		String where = "partition=" + record.partition() + " offset=" + record.offset();
		if (Interruptions.isInterruption(exception)) {
			logger.info("Job key=" + LogSafe.text(record.key()) + " " + where
					+ " was interrupted; it is released and will be processed again");
			throw new JobInterruptedException(exception);
		}
		deadLetters.accept(record, consumer, exception);
		if (record.value() instanceof IngestImage job && JobCheck.isAddressable(job)) {
			ImageFailed failed = isTransient(exception) ? ItemFailures.retriesExhausted(job, exception, clock.instant())
					: ItemFailures.processingFailed(job, clock.instant());
			results.publish(failed);
			discardStaged.accept(job);
			logger.warn("Failed item tenant=" + LogSafe.text(job.tenant()) + " batch=" + LogSafe.text(job.batchId())
					+ " index=" + job.index() + " attempt=" + job.attempt() + " code=" + failed.code()
					+ " (job dead-lettered, " + where + "): " + LogSafe.text(rootMessage(exception)));
		}
		else if (record.key() instanceof String key && ItemIds.parse(key).isPresent()) {
			// unreadable, but its key names the item: fail it, so the batch still finishes
			ImageFailed failed = ItemFailures.processingFailed(ItemIds.parse(key).get(), key,
					attemptIn(exception), clock.instant());
			results.publish(failed);
			logger.warn("Failed item " + LogSafe.text(key) + " attempt=" + failed.attempt()
					+ " code=PROCESSING_FAILED (unreadable job dead-lettered, " + where + "): "
					+ LogSafe.text(rootMessage(exception)));
		}
		else {
			logger.warn("Dead-lettered an unusable job record key=" + LogSafe.text(record.key()) + " " + where + ": "
					+ LogSafe.text(rootMessage(exception)));
		}
	}

	/**
	 * The {@code attempt} of an unreadable job as far as its bytes tell (a retry round's job has
	 * a higher one, and a failure of an earlier attempt would be ignored), else 1.
	 */
	static int attemptIn(Throwable exception) {
		for (Throwable t = exception; t != null; t = t.getCause()) {
			if (t instanceof DeserializationException unreadable && unreadable.getData() != null) {
				Matcher attempt = ATTEMPT.matcher(new String(unreadable.getData(), StandardCharsets.UTF_8));
				if (attempt.find()) {
					try {
						return Math.max(1, Integer.parseInt(attempt.group(1)));
					}
					catch (NumberFormatException ex) {
						return 1;
					}
				}
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return 1;
	}

	static boolean isTransient(Throwable exception) {
		for (Throwable t = exception; t != null; t = t.getCause()) {
			if (t instanceof TransientFailure) {
				return true;
			}
		}
		return false;
	}

	/** Thrown instead of recovering an interrupted job, so its record is redelivered. */
	static final class JobInterruptedException extends RuntimeException {

		JobInterruptedException(Throwable cause) {
			super("job interrupted; redelivered instead of dead-lettered", cause);
		}

	}

	private static String rootMessage(Throwable exception) {
		Throwable root = exception;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

}
