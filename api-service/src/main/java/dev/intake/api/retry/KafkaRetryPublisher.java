package dev.intake.api.retry;

import java.util.List;

import dev.intake.contracts.BatchRetried;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes a retry round in one Kafka transaction, through the api's transactional batch
 * producer: the {@link BatchRetried} record to {@code intake.batches} under the batch key (after
 * the batch's {@code BatchSubmitted} on the same partition) and every job to {@code intake.jobs},
 * so {@code read_committed} consumers see the round with all its jobs or nothing.
 */
final class KafkaRetryPublisher implements RetryPublisher {

	private final KafkaTemplate<String, byte[]> template;

	KafkaRetryPublisher(KafkaTemplate<String, byte[]> template) {
		this.template = template;
	}

	@Override
	public Mono<Void> publish(BatchRetried round, List<IngestImage> jobs) {
		return Mono.<Void>fromRunnable(() -> template.executeInTransaction(operations -> {
			String batches = Topics.BATCH_RECORDS.name();
			operations.send(new ProducerRecord<>(batches, round.key().toString(),
					Topics.BATCH_RECORDS.valueSerde().serializer().serialize(batches, round)));
			for (IngestImage job : jobs) {
				operations.send(new ProducerRecord<>(Topics.JOBS.name(), job.itemId(),
						Topics.JOBS.valueSerde().serializer().serialize(Topics.JOBS.name(), job)));
			}
			return null;
		})).subscribeOn(Schedulers.boundedElastic());
	}

}
