package dev.intake.api.publish;

import java.util.List;
import java.util.function.LongFunction;

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

	/**
	 * Allocates a new asset id of {@code tenant} ({@link dev.intake.contracts.AssetIds}: a record
	 * on {@link dev.intake.contracts.Topics#ASSET_IDS}) and publishes the batch {@code batchFor}
	 * makes for it, all in one transaction: an aborted publish leaves a gap in the ids, never an
	 * id without its batch. Emits what was published.
	 */
	Mono<Publication> publishWithNewAsset(String tenant, LongFunction<Publication> batchFor);

	/** A batch and its jobs, published together. */
	record Publication(BatchSubmitted batch, List<IngestImage> jobs) {

		public Publication {
			jobs = List.copyOf(jobs);
		}

	}

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
