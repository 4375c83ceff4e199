package dev.intake.contracts;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A batch was accepted: published once per batch to {@link Topics#BATCHES}, in the same Kafka
 * transaction as its jobs, so either the batch and all its jobs exist or none do.
 *
 * @param internal whether Intake queued the batch for itself rather than for a client (the file
 * service's check of an image version): its jobs run, are queued and counted like any, and the
 * status-service tracks it, but no client sees it: the status routes answer it as an unknown
 * batch, and no event (so no webhook) is published about it. Never null. Written only when true,
 * so a public batch has the bytes it always had, and a record without the field is public (a
 * {@code Boolean}, as an absent primitive would fail to read).
 */
public record BatchSubmitted(String tenant, String batchId, Instant submittedAt, List<SubmittedItem> items,
		@JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean internal) implements BatchRecord {

	public BatchSubmitted {
		items = List.copyOf(items);
		internal = Boolean.TRUE.equals(internal);
	}

	/** A client's batch. */
	public BatchSubmitted(String tenant, String batchId, Instant submittedAt, List<SubmittedItem> items) {
		this(tenant, batchId, submittedAt, items, false);
	}

	public BatchKey key() {
		return new BatchKey(tenant, batchId);
	}

	/**
	 * Whether a client waits for this batch's result in the request that sent it: a single-file
	 * upload (AnqiCMS, Inventorum, the nursery image API), a public batch of one item stored as an
	 * asset. Its jobs go to {@link Topics#INTERACTIVE_JOBS}, not behind the jobs of large batches.
	 */
	@JsonIgnore
	public boolean awaited() {
		return !internal && items.size() == 1 && items.get(0).asset() != null;
	}

}
