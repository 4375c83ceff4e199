package dev.intake.api.publish;

import java.util.List;

import dev.intake.contracts.BatchKey;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.IngestImage;
import reactor.core.publisher.Mono;

/**
 * Publishes an accepted batch: its {@link BatchSubmitted} record and one {@link IngestImage} job
 * per item, all or nothing. Completes once they are durably published.
 */
public interface BatchPublisher {

	Mono<Void> publish(BatchSubmitted batch, List<IngestImage> jobs);

	/** Publishing timed out at a point where the batch may or may not have been published. */
	final class OutcomeUnknownException extends RuntimeException {

		private final BatchKey batch;

		OutcomeUnknownException(BatchKey batch, Throwable cause) {
			super("publishing " + batch + " timed out", cause);
			this.batch = batch;
		}

		public BatchKey batch() {
			return batch;
		}

	}

}
