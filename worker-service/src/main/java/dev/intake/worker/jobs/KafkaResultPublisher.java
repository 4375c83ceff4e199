package dev.intake.worker.jobs;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.intake.contracts.ItemResult;
import dev.intake.contracts.Topics;
import dev.intake.worker.ingest.ResultPublisher;
import dev.intake.worker.ingest.TransientFailure;
import dev.intake.worker.metrics.WorkerMetrics;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes item results to {@code intake.results}, keyed by batch key (a candidate verdict to
 * {@code intake.candidates} instead, keyed by its content, for the content index), and waits for the
 * broker's acknowledgement (idempotent producer, {@code acks=all}), so the job's offset is only
 * committed after its result is durable. Counts each durable result ({@link WorkerMetrics}).
 */
class KafkaResultPublisher implements ResultPublisher {

	private final KafkaTemplate<String, ItemResult> template;

	private final Duration timeout;

	private final WorkerMetrics metrics;

	KafkaResultPublisher(KafkaTemplate<String, ItemResult> template, Duration timeout, WorkerMetrics metrics) {
		this.template = template;
		this.timeout = timeout;
		this.metrics = metrics;
	}

	@Override
	public void publish(ItemResult result) {
		try {
			boolean candidate = result instanceof ItemResult.ImageStored stored && stored.isCandidate();
			template.send(candidate ? Topics.CANDIDATES.name() : Topics.RESULTS.name(),
					candidate ? ((ItemResult.ImageStored) result).contentKey() : result.batchKey().toString(), result)
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			metrics.published(result);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TransientFailure("interrupted while publishing a result", ex);
		}
		catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException
				| org.springframework.kafka.KafkaException ex) {
			throw new TransientFailure("publishing a result failed: " + ex.getMessage(), ex);
		}
	}

}
