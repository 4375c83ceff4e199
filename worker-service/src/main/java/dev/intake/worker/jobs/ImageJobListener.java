package dev.intake.worker.jobs;

import dev.intake.contracts.IngestImage;
import dev.intake.worker.ingest.ImageIngestion;

import org.springframework.kafka.annotation.KafkaListener;

/**
 * Feeds {@code intake.jobs} to {@link ImageIngestion}. At-least-once: the record's offset is
 * committed after the job's result is acknowledged by the broker; failures go to the
 * container's error handler ({@link JobsConfiguration}).
 */
class ImageJobListener {

	private final ImageIngestion ingestion;

	ImageJobListener(ImageIngestion ingestion) {
		this.ingestion = ingestion;
	}

	@KafkaListener(id = "image-ingest", groupId = "intake-workers",
			topics = "#{T(dev.intake.contracts.Topics).JOBS.name()}")
	void onJob(IngestImage job) {
		ingestion.ingest(job);
	}

}
