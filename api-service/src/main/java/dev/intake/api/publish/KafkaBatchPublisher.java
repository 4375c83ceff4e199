package dev.intake.api.publish;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.LongFunction;

import dev.intake.contracts.AssetIds;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.Topic;
import dev.intake.contracts.Topics;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes a batch in one Kafka transaction: the {@link BatchSubmitted} record to
 * {@link Topics#BATCHES} and every job to {@link Topics#JOBS} ({@link Topics#INTERACTIVE_JOBS} for a
 * single-file upload, whose client waits), so {@code read_committed} consumers
 * see the batch with all its jobs or nothing. The blocking producer calls run on the bounded
 * elastic scheduler, in the trace context of the caller; the producer's {@code max.block.ms}
 * bounds them.
 */
public final class KafkaBatchPublisher implements BatchPublisher {

	/** Restores the request's trace context on the publishing thread: the records carry it. */
	private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

	/**
	 * Room left in a record for what is added to its value: key, headers (the trace context) and
	 * the record's own framing.
	 */
	static final int RECORD_OVERHEAD = 4096;

	private final KafkaTemplate<String, byte[]> template;

	private final int maxValueSize;

	public KafkaBatchPublisher(KafkaTemplate<String, byte[]> template) {
		this.template = template;
		this.maxValueSize = maxRequestSize(template) - RECORD_OVERHEAD;
	}

	@Override
	public Mono<Void> publish(BatchSubmitted batch, List<IngestImage> jobs) {
		return Mono.deferContextual(context -> Mono.<Void>fromRunnable(() -> {
			try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(context)) {
				publishNow(batch, jobs);
			}
		})).subscribeOn(Schedulers.boundedElastic());
	}

	@Override
	public Mono<Publication> publishWithNewAsset(String tenant, LongFunction<Publication> batchFor) {
		return Mono.deferContextual(context -> Mono.fromCallable(() -> {
			try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(context)) {
				return publishWithNewAssetNow(tenant, batchFor);
			}
		})).subscribeOn(Schedulers.boundedElastic());
	}

	private void publishNow(BatchSubmitted batch, List<IngestImage> jobs) {
		try {
			template.executeInTransaction(operations -> {
				send(operations, batch, jobs);
				return null;
			});
		}
		catch (RuntimeException ex) {
			throw unknownIfTimedOut(ex, batch);
		}
	}

	private Publication publishWithNewAssetNow(String tenant, LongFunction<Publication> batchFor) {
		Publication[] made = new Publication[1];
		try {
			return template.executeInTransaction(operations -> {
				// the id is the offset the broker gives the record, known once it is acknowledged
				long offset = await(operations.send(
						new ProducerRecord<>(Topics.ASSET_IDS, tenant, tenant.getBytes(StandardCharsets.UTF_8))))
					.getRecordMetadata()
					.offset();
				made[0] = batchFor.apply(AssetIds.fromOffset(offset));
				send(operations, made[0].batch(), made[0].jobs());
				return made[0];
			});
		}
		catch (RuntimeException ex) {
			throw (made[0] != null) ? unknownIfTimedOut(ex, made[0].batch()) : ex;
		}
	}

	private void send(KafkaOperations<String, byte[]> operations, BatchSubmitted batch, List<IngestImage> jobs) {
		List<ProducerRecord<String, byte[]>> records = new ArrayList<>(jobs.size() + 1);
		records.add(record(Topics.BATCHES, batch.key().toString(), batch));
		// a client waiting in its request for the result is not queued behind large batches
		Topic<String, IngestImage> queue = batch.awaited() ? Topics.INTERACTIVE_JOBS : Topics.JOBS;
		for (IngestImage job : jobs) {
			records.add(record(queue, job.itemId(), job));
		}
		// refused before anything is sent: the producer would fail the transaction with a
		// RecordTooLargeException, which looks like an outage to the caller
		for (ProducerRecord<String, byte[]> record : records) {
			if (record.value().length > maxValueSize) {
				throw new TooLargeException(batch.key(), record.value().length, maxValueSize);
			}
		}
		records.forEach(operations::send);
	}

	/** The producer's {@code max.request.size}: no record may be larger. */
	private static int maxRequestSize(KafkaTemplate<String, byte[]> template) {
		Object configured = template.getProducerFactory()
			.getConfigurationProperties()
			.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
		if (configured == null) {
			return 1024 * 1024; // Kafka's default
		}
		return (configured instanceof Number number) ? number.intValue() : Integer.parseInt(configured.toString().trim());
	}

	private static <T> T await(java.util.concurrent.CompletableFuture<T> sent) {
		try {
			return sent.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while allocating an asset id", ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("could not allocate an asset id", ex.getCause());
		}
	}

	private static RuntimeException unknownIfTimedOut(RuntimeException ex, BatchSubmitted batch) {
		// a commit that timed out may still have succeeded
		return causedByTimeout(ex) ? new OutcomeUnknownException(batch.key(), ex) : ex;
	}

	private static <V> ProducerRecord<String, byte[]> record(Topic<String, V> topic, String key, V value) {
		return new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value));
	}

	private static boolean causedByTimeout(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof TimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
				return true;
			}
		}
		return false;
	}

}
