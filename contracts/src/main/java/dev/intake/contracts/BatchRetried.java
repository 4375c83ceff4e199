package dev.intake.contracts;

import java.time.Instant;
import java.util.List;

/**
 * Failed items of a batch run again: one retry round. Published to {@link Topics#BATCHES}, keyed
 * like the batch's {@link BatchSubmitted} ({@code tenant/batchId}, so it lands on the same
 * partition after it), in the same Kafka transaction as one {@link IngestImage} per item with
 * {@code attempt = retryRound + 1}: either the round and all its jobs exist or none do.
 * <p>
 * The status view marks those items pending for that attempt and from then on ignores results of
 * earlier attempts, so a late result of an earlier round cannot override the new one. A round not
 * higher than the batch's current one changes nothing, so two retries racing count once. On the
 * wire it is told from a {@link BatchSubmitted} by its {@code retryRound} field (see
 * {@link BatchRecordSerde}).
 *
 * @param retryRound 1 for the batch's first retry, then 2, 3, ...
 * @param indices the items re-run, by index
 */
public record BatchRetried(String tenant, String batchId, int retryRound, List<Integer> indices,
		Instant retriedAt) implements BatchRecord {

	public BatchRetried {
		indices = List.copyOf(indices);
	}

	/** The attempt the round's jobs and results carry. */
	public static int attemptOf(int retryRound) {
		return retryRound + 1;
	}

	public BatchKey key() {
		return new BatchKey(tenant, batchId);
	}

}
