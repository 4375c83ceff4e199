package dev.intake.status.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.intake.contracts.BatchRetried;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.ItemResult;

/**
 * The materialised progress of one batch: the value of the {@link BatchProgressTopology#STORE}
 * store. It keeps one state per item, never counters, so applying a result twice changes
 * nothing; the counts and the batch status are derived from the item states.
 * <p>
 * Results may be processed before their batch's {@link BatchSubmitted}; they wait in
 * {@code unmatched} and are applied when it arrives. A progress whose batch has not arrived
 * ({@code submitted == false}) is not a batch yet and is never shown to clients.
 *
 * @param items one per submitted item, ordered by index; empty until submitted
 * @param unmatched results that arrived before the batch, one per index, ordered by index
 * @param retryRound the last {@link BatchRetried} round applied, 0 before any; its items are
 * pending for attempt {@code retryRound + 1} and ignore results of earlier attempts
 * @param internal the submission's {@link BatchSubmitted#internal()}: a batch Intake queued for
 * itself, tracked here but never shown to clients nor announced in events. Never null; written
 * only when true, and a stored value without it (as every value stored before it existed) is a
 * client's batch
 */
public record BatchProgress(String tenant, String batchId, boolean submitted, Instant submittedAt,
		List<ItemProgress> items, List<ItemProgress> unmatched, int retryRound,
		@JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean internal) {

	private static final Comparator<ItemProgress> BY_INDEX = Comparator.comparingInt(ItemProgress::index);

	public BatchProgress {
		items = (items != null) ? List.copyOf(items) : List.of();
		unmatched = (unmatched != null) ? List.copyOf(unmatched) : List.of();
		internal = Boolean.TRUE.equals(internal);
	}

	/** The progress of a client's batch. */
	public BatchProgress(String tenant, String batchId, boolean submitted, Instant submittedAt,
			List<ItemProgress> items, List<ItemProgress> unmatched, int retryRound) {
		this(tenant, batchId, submitted, submittedAt, items, unmatched, retryRound, false);
	}

	/** The initial aggregate: nothing known yet. */
	public static BatchProgress none() {
		return new BatchProgress(null, null, false, null, List.of(), List.of(), 0);
	}

	/**
	 * This progress with its batch known. Results that arrived earlier are applied; those whose
	 * index is not in the batch are dropped. Only the first submission counts.
	 */
	BatchProgress withSubmission(BatchSubmitted batch) {
		if (submitted) {
			return this;
		}
		List<ItemProgress> known = new ArrayList<>(batch.items().stream().map(ItemProgress::pending).toList());
		known.sort(BY_INDEX);
		for (ItemProgress early : unmatched) {
			int at = positionOf(known, early.index());
			if (at >= 0) {
				known.set(at, known.get(at).apply(early));
			}
		}
		return new BatchProgress(batch.tenant(), batch.batchId(), true, batch.submittedAt(), known, List.of(), 0,
				batch.internal());
	}

	/**
	 * This progress with one more result applied, or this very instance when the result changes
	 * nothing (duplicate, stale attempt, or an index outside the batch).
	 */
	BatchProgress withResult(ItemResult result) {
		if (!submitted) {
			return withUnmatched(result);
		}
		int at = positionOf(items, result.index());
		if (at < 0) {
			return this;
		}
		ItemProgress current = items.get(at);
		ItemProgress next = current.apply(result);
		if (next == current) {
			return this;
		}
		List<ItemProgress> changed = new ArrayList<>(items);
		changed.set(at, next);
		return new BatchProgress(tenant, batchId, true, submittedAt, changed, unmatched, retryRound, internal);
	}

	private BatchProgress withUnmatched(ItemResult result) {
		List<ItemProgress> waiting = new ArrayList<>(unmatched);
		int at = positionOf(waiting, result.index());
		if (at >= 0) {
			ItemProgress current = waiting.get(at);
			ItemProgress next = current.apply(result);
			if (next == current) {
				return this;
			}
			waiting.set(at, next);
		}
		else {
			waiting.add(ItemProgress.outcomeOf(result));
			waiting.sort(BY_INDEX);
		}
		return new BatchProgress(result.tenant(), result.batchId(), false, null, items, waiting, retryRound);
	}

	/**
	 * This progress with a retry round applied: each listed item that is still
	 * {@link ItemProgress#retryable() retryable} becomes pending for the round's attempt. Returns
	 * this very instance when the batch is unknown or the round is not newer than the last one
	 * applied (a duplicate, or a retry that raced another), so nothing changes twice.
	 */
	BatchProgress withRetry(BatchRetried retry) {
		if (!submitted || retry.retryRound() <= retryRound) {
			return this;
		}
		int attempt = BatchRetried.attemptOf(retry.retryRound());
		List<ItemProgress> changed = new ArrayList<>(items);
		for (int index : retry.indices()) {
			int at = positionOf(changed, index);
			if (at >= 0 && changed.get(at).retryable() && changed.get(at).attempt() < attempt) {
				changed.set(at, changed.get(at).retried(attempt));
			}
		}
		return new BatchProgress(tenant, batchId, true, submittedAt, changed, unmatched, retry.retryRound(),
				internal);
	}

	/** The items a retry round would run again now. */
	public List<ItemProgress> retryableItems() {
		return items.stream().filter(ItemProgress::retryable).toList();
	}

	/** Whether the batch is known and every one of its items is terminal. */
	public boolean complete() {
		return submitted && processedCount() == totalCount();
	}

	/**
	 * When the batch completed: the latest processing time of its items (deterministic, so a
	 * re-processed update yields the same instant); null while not complete.
	 */
	public Instant completedAt() {
		if (!complete()) {
			return null;
		}
		return items.stream()
			.map(ItemProgress::processedAt)
			.filter(Objects::nonNull)
			.max(Comparator.naturalOrder())
			.orElse(submittedAt);
	}

	/**
	 * Whether a submitted batch is past its retention at {@code now}: it then no longer exists
	 * for clients, even before the store has deleted it.
	 */
	public boolean expired(Instant now, Duration retention) {
		return submitted && submittedAt != null && !submittedAt.plus(retention).isAfter(now);
	}

	/** Whether an index is one of this batch's items (only meaningful once submitted). */
	public boolean contains(int index) {
		return positionOf(items, index) >= 0;
	}

	public int totalCount() {
		return items.size();
	}

	public int processedCount() {
		return (int) items.stream().filter(ItemProgress::terminal).count();
	}

	public int successCount() {
		return count(ItemState.SUCCEEDED);
	}

	public int failedCount() {
		return count(ItemState.FAILED);
	}

	public BatchStatus status() {
		int processed = processedCount();
		if (processed == totalCount()) {
			return BatchStatus.TASK_SUCCEEDED;
		}
		return (processed == 0) ? BatchStatus.TASK_PENDING : BatchStatus.TASK_PROCESSING;
	}

	private int count(ItemState state) {
		return (int) items.stream().filter(item -> item.state() == state).count();
	}

	/** Position of the item with {@code index} in a list ordered by index, or -1. */
	private static int positionOf(List<ItemProgress> ordered, int index) {
		if (index >= 0 && index < ordered.size() && ordered.get(index).index() == index) {
			return index;
		}
		for (int i = 0; i < ordered.size(); i++) {
			if (ordered.get(i).index() == index) {
				return i;
			}
		}
		return -1;
	}

}
