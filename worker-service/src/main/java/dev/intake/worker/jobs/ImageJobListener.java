package dev.intake.worker.jobs;

import java.time.Clock;

import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemResult;
import dev.intake.worker.ingest.ImageIngestion;
import dev.intake.worker.metrics.WorkerMetrics;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;

/**
 * Feeds {@code intake.jobs} to {@link ImageIngestion}. At-least-once: the record's offset is
 * committed after the job's result is acknowledged by the broker; failures go to the
 * container's error handler ({@link JobsConfiguration}). The time from the job's publication
 * (its record's timestamp) to a stored result goes to {@link WorkerMetrics#SUBMIT_TO_STORED}.
 */
class ImageJobListener {

	private final ImageIngestion ingestion;

	private final WorkerMetrics metrics;

	private final Clock clock;

	ImageJobListener(ImageIngestion ingestion, WorkerMetrics metrics, Clock clock) {
		this.ingestion = ingestion;
		this.metrics = metrics;
		this.clock = clock;
	}

	@KafkaListener(id = "image-ingest", groupId = "intake-workers",
			topics = "#{T(dev.intake.contracts.Topics).JOBS.name()}")
	void onJob(IngestImage job, @Header(KafkaHeaders.RECEIVED_TIMESTAMP) long publishedAt) {
		ItemResult result = ingestion.ingest(job);
		if (result instanceof ItemResult.ImageStored) {
			metrics.stored(publishedAt, clock.millis());
		}
	}

}
