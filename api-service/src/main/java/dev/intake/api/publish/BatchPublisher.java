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

	/**
	 * The batch's record is larger than the queue takes in one record: nothing was published. Only
	 * what the client sent makes it so large (names, URLs, file names), so it is the client's to
	 * change.
	 */
	final class TooLargeException extends RuntimeException {

		private final long size;

		private final long limit;

		TooLargeException(BatchKey batch, long size, long limit) {
			super("the record of " + batch + " is " + size + " bytes, over the " + limit + " a record may take");
			this.size = size;
			this.limit = limit;
		}

		/** The record's size in bytes. */
		public long size() {
			return size;
		}

		/** The most a record may take, in bytes. */
		public long limit() {
			return limit;
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
