package dev.intake.worker.jobs;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;

import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.LogSafe;
import dev.intake.worker.ingest.ImageIngestion;
import dev.intake.worker.metrics.WorkerMetrics;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.listener.AcknowledgingShareConsumerAwareMessageListener;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.ListenerUtils;
import org.springframework.kafka.support.ShareAcknowledgment;
import org.springframework.kafka.support.micrometer.KafkaListenerObservation;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Feeds the jobs the share group delivers to {@link ImageIngestion} and answers the broker for
 * each, at-least-once:
 * <ul>
 * <li>on the last delivery the broker allows ({@link JobsShareGroup#isLastDelivery}), the job is
 * not run again: every earlier delivery ended without an answer (the worker died, e.g. its decoder
 * crashed the process, or lost the job), so the item fails {@code PROCESSING_FAILED} and the job
 * goes to the dead-letter topic before its bytes are touched, then it is rejected. The item ends
 * once and the worker survives;</li>
 * <li>a stored or failed item: accepted after its result is acknowledged by the broker;</li>
 * <li>a transient failure (S3 or the broker away): after a back-off that grows with the delivery
 * count, released for another delivery; the waits add up to the retry window whatever the
 * broker's delivery limit ({@link #backOff}). Once the releases are used, the item fails
 * {@code RETRIES_EXHAUSTED} ({@link FailedJobRecoverer});</li>
 * <li>any other failure, or a record that cannot be read: dead-lettered, the item failed, the
 * job rejected;</li>
 * <li>a job interrupted by the worker's shutdown: released, neither failed nor dead-lettered.</li>
 * </ul>
 * A job whose failure cannot be recorded (its result not acknowledged) is released, so a later
 * delivery records it. Each job runs in the trace its record's {@code traceparent} header
 * continues; the time from its publication to a stored result goes to
 * {@link WorkerMetrics#SUBMIT_TO_STORED}.
 */
class ImageJobListener implements AcknowledgingShareConsumerAwareMessageListener<String, IngestImage> {

	static final String LISTENER_ID = "image-ingest";

	private static final Log logger = LogFactory.getLog(ImageJobListener.class);

	private static final LogAccessor headerLogger = new LogAccessor(ImageJobListener.class);

	private final ImageIngestion ingestion;

	private final Set<Thread> working = ConcurrentHashMap.newKeySet();

	private final ConsumerAwareRecordRecoverer failures;

	private final JobsShareGroup group;

	private final JobsProperties.Retry retry;

	private final WorkerMetrics metrics;

	private final ObservationRegistry observations;

	private final Clock clock;

	private volatile BooleanSupplier running = () -> true;

	/** Set when the worker stops: a job delivered after it is released at once, not begun. */
	private volatile boolean stopping;

	ImageJobListener(ImageIngestion ingestion, ConsumerAwareRecordRecoverer failures, JobsShareGroup group,
			JobsProperties.Retry retry, WorkerMetrics metrics, ObservationRegistry observations, Clock clock) {
		this.ingestion = ingestion;
		this.failures = failures;
		this.group = group;
		this.retry = retry;
		this.metrics = metrics;
		this.observations = observations;
		this.clock = clock;
	}

	/**
	 * Interrupts the jobs in progress: each ends released for another delivery and its thread
	 * goes back to the container, which is stopping.
	 * @return how many were interrupted
	 */
	int interruptJobsInProgress() {
		int interrupted = 0;
		for (Thread thread : working) {
			thread.interrupt();
			interrupted++;
		}
		return interrupted;
	}

	/**
	 * Makes every job delivered from now on be released at once, unbegun: a stopping worker's
	 * consumers may still poll, and a job released by an interrupted one would otherwise start
	 * again on one of them, after the interruptions. A job's last delivery is failed as always
	 * instead: released, the broker would drop it without an outcome.
	 */
	void stopTakingJobs() {
		stopping = true;
	}

	/** What tells a back-off that the worker is stopping (it then ends at once and the job is released). */
	void runningWhile(BooleanSupplier running) {
		this.running = running;
	}

	@Override
	public void onShareRecord(ConsumerRecord<String, IngestImage> record, ShareAcknowledgment acknowledgment,
			ShareConsumer<?, ?> consumer) {
		AcknowledgeType answer = KafkaListenerObservation.LISTENER_OBSERVATION
			.observation(null, KafkaListenerObservation.DefaultKafkaListenerObservationConvention.INSTANCE,
					() -> new KafkaRecordReceiverContext(record, LISTENER_ID, LISTENER_ID, group.name(), group::clusterId),
					observations)
			.observe(() -> handleHere(record));
		switch (answer) {
			case ACCEPT -> acknowledgment.acknowledge();
			case REJECT -> acknowledgment.reject();
			default -> acknowledgment.release();
		}
	}

	AcknowledgeType handleHere(ConsumerRecord<String, IngestImage> record) {
		// counted as working before the check, so a job that passed it before the worker began
		// stopping is among those the shutdown grace interrupts
		working.add(Thread.currentThread());
		try {
			// a last delivery is never released: the broker would archive the job with no outcome,
			// so it is failed as any last delivery is (without reading its bytes, quickly)
			if (stopping && !group.isLastDelivery(delivery(record))) {
				return AcknowledgeType.RELEASE;
			}
			return handle(record);
		}
		finally {
			working.remove(Thread.currentThread());
			// an interrupt that came after the job ended must not fail the answer to the broker
			Thread.interrupted();
		}
	}

	/** Which delivery of its job {@code record} is, 1 for the first. */
	private static int delivery(ConsumerRecord<String, IngestImage> record) {
		return record.deliveryCount().map(Short::intValue).orElse(1);
	}

	/** Processes one delivery of a job and says how to answer the broker for it. */
	AcknowledgeType handle(ConsumerRecord<String, IngestImage> record) {
		int delivery = delivery(record);
		String where = "key=" + LogSafe.text(record.key()) + " partition=" + record.partition() + " offset="
				+ record.offset() + " delivery=" + delivery + "/" + group.deliveryLimit();
		DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(record,
				SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, headerLogger);
		if (unreadable != null) {
			return end(record, unreadable, where);
		}
		if (group.isLastDelivery(delivery)) {
			logger.warn("Job " + where + " reached its last delivery without an outcome; it is failed unread");
			return end(record, new DeliveryLimitReachedException(delivery), where);
		}
		try {
			ItemResult result = ingestion.ingest(record.value());
			if (result instanceof ItemResult.ImageStored) {
				metrics.stored(record.timestamp(), clock.millis());
			}
			return AcknowledgeType.ACCEPT;
		}
		catch (RuntimeException ex) {
			if (Interruptions.isInterruption(ex)) {
				// the worker is stopping: nothing is known about the job, another delivery runs it
				Thread.interrupted();
				logger.info("Job " + where + " was interrupted; it is released for another delivery");
				return AcknowledgeType.RELEASE;
			}
			int releases = releases(retry, group);
			if (FailedJobRecoverer.isTransient(ex) && delivery <= releases) {
				long wait = backOff(retry, delivery, releases);
				logger.warn("Job " + where + " hit a transient failure; released after " + wait + " ms: "
						+ LogSafe.text(((ex.getCause() != null) ? ex.getCause() : ex).getMessage()));
				pause(wait);
				return AcknowledgeType.RELEASE;
			}
			return end(record, ex, where);
		}
		catch (StackOverflowError ex) {
			// the job's own fault (input nested too deep for a decoder), not the worker's: its stack is
			// unwound, so the item fails like any other failure and the consumer goes on
			return end(record, new IllegalStateException("the job's input is nested too deeply to be processed", ex),
					where);
		}
	}

	/**
	 * Dead-letters the job and fails its item, then rejects it; releases it instead when that
	 * could not be recorded, so a later delivery records it.
	 */
	private AcknowledgeType end(ConsumerRecord<String, IngestImage> record, Exception reason, String where) {
		try {
			failures.accept(record, null, reason);
			return AcknowledgeType.REJECT;
		}
		catch (RuntimeException ex) {
			Thread.interrupted();
			logger.warn("Job " + where + " could not be failed (" + LogSafe.text(ex.getMessage())
					+ "); it is released for another delivery");
			return AcknowledgeType.RELEASE;
		}
	}

	/**
	 * How many times a job is released after transient failures: {@code max-retries}, but never
	 * on the delivery before the broker's last (that one fails the item {@code RETRIES_EXHAUSTED}
	 * instead, so the last delivery stays kept for a job whose deliveries all ended unanswered).
	 */
	static int releases(JobsProperties.Retry retry, JobsShareGroup group) {
		return Math.max(0, Math.min(retry.maxRetries(), group.deliveryLimit() - 2));
	}

	/**
	 * The wait before releasing a job after a transient failure of its {@code delivery} (1 for the
	 * first), when it is released {@code releases} times in all: the {@code max-retries} jittered
	 * waits of {@link JobsConfiguration#backOff} are shared out in order among the releases, so
	 * the whole retry window (about 90 s by default) passes before the item fails
	 * {@code RETRIES_EXHAUSTED}, however few deliveries the broker allows. With one release per
	 * wait, each release waits one of them.
	 */
	static long backOff(JobsProperties.Retry retry, int delivery, int releases) {
		BackOffExecution execution = JobsConfiguration.backOff(retry).start();
		int waits = retry.maxRetries();
		int from = (int) ((long) (delivery - 1) * waits / releases);
		int to = (int) ((long) delivery * waits / releases);
		long total = 0;
		for (int i = 0; i < to; i++) {
			long next = execution.nextBackOff();
			if (next == BackOffExecution.STOP) {
				break;
			}
			if (i >= from) {
				total += next;
			}
		}
		return total;
	}

	private void pause(long millis) {
		try {
			ListenerUtils.conditionalSleep(() -> running.getAsBoolean(), millis);
		}
		catch (InterruptedException ex) {
			Thread.interrupted();
		}
	}

	/** The reason a job is failed on its last delivery: every earlier one ended without an answer. */
	static final class DeliveryLimitReachedException extends RuntimeException {

		DeliveryLimitReachedException(int deliveries) {
			super("the job reached its delivery limit: delivered " + deliveries
					+ " times, every earlier delivery ended without an outcome (the worker died or lost the job)");
		}

	}

}
