package dev.intake.api.publish;

import java.util.List;

import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.Topic;
import dev.intake.contracts.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes a batch in one Kafka transaction: the {@link BatchSubmitted} record to
 * {@link Topics#BATCHES} and every job to {@link Topics#JOBS}, so {@code read_committed} consumers
 * see the batch with all its jobs or nothing. The blocking producer calls run on the bounded
 * elastic scheduler; the producer's {@code max.block.ms} bounds them.
 */
public final class KafkaBatchPublisher implements BatchPublisher {

	private final KafkaTemplate<String, byte[]> template;

	public KafkaBatchPublisher(KafkaTemplate<String, byte[]> template) {
		this.template = template;
	}

	@Override
	public Mono<Void> publish(BatchSubmitted batch, List<IngestImage> jobs) {
		return Mono.<Void>fromRunnable(() -> publishNow(batch, jobs)).subscribeOn(Schedulers.boundedElastic());
	}

	private void publishNow(BatchSubmitted batch, List<IngestImage> jobs) {
		try {
			template.executeInTransaction(operations -> {
				operations.send(record(Topics.BATCHES, batch.key().toString(), batch));
				for (IngestImage job : jobs) {
					operations.send(record(Topics.JOBS, job.itemId(), job));
				}
				return null;
			});
		}
		catch (RuntimeException ex) {
			if (causedByTimeout(ex)) {
				// a commit that timed out may still have succeeded
				throw new OutcomeUnknownException(batch.key(), ex);
			}
			throw ex;
		}
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
