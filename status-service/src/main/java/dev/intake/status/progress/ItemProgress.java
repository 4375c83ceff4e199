package dev.intake.status.progress;

import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.intake.contracts.AssetLink;
import dev.intake.contracts.ItemError;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.StoredImage;
import dev.intake.contracts.SubmittedItem;

/**
 * The state of one item of a batch: pending, or the terminal outcome of one attempt.
 *
 * @param name the image name reported back to the client; null while the batch is unknown
 * @param attempt the attempt the state belongs to; 0 for a pending item nobody tried yet
 * @param image what was stored, when {@link ItemState#SUCCEEDED}
 * @param errorCode a stable {@link dev.intake.contracts.ItemError} name, when {@link ItemState#FAILED}
 * @param errorMessage readable and safe to show, when {@link ItemState#FAILED}
 * @param archive the ZIP archive the image came from, if any
 * @param entry its entry path in that archive, if any
 * @param source where the item's bytes come from, kept so a failed item can be run again; null
 * while the batch is unknown (and for batches stored before sources were kept)
 * @param asset the catalogue asset the item's file becomes ({@link SubmittedItem#asset()}); null
 * for batch items (and while the batch is unknown), and then left out of the stored JSON
 */
public record ItemProgress(int index, String itemId, String name, ItemState state, int attempt, StoredImage image,
		String errorCode, String errorMessage, Instant processedAt, String archive, String entry,
		ItemSource source, @JsonInclude(JsonInclude.Include.NON_NULL) AssetLink asset) {

	/**
	 * Codes after which running a staged item again can give another outcome: the worker keeps
	 * the staged bytes of exactly these items (transient failures outlasted the retries, or the
	 * job was dead-lettered). Other codes are about the bytes themselves, which a retry would
	 * meet again, and their staged bytes are deleted.
	 */
	private static final Set<String> RETRYABLE_STAGED_CODES = Set.of(ItemError.RETRIES_EXHAUSTED.name(),
			ItemError.PROCESSING_FAILED.name());

	static ItemProgress pending(SubmittedItem item) {
		return new ItemProgress(item.index(), item.itemId(), item.name(), ItemState.PENDING, 0, null, null, null, null,
				item.archive(), item.entry(), item.source(), item.asset());
	}

	static ItemProgress outcomeOf(ItemResult result) {
		if (result instanceof ItemResult.ImageStored stored) {
			return new ItemProgress(result.index(), result.itemId(), null, ItemState.SUCCEEDED, result.attempt(),
					stored.image(), null, null, result.processedAt(), null, null, null, null);
		}
		ItemResult.ImageFailed failed = (ItemResult.ImageFailed) result;
		return new ItemProgress(result.index(), result.itemId(), null, ItemState.FAILED, result.attempt(), null,
				failed.code(), failed.message(), result.processedAt(), null, null, null, null);
	}

	/**
	 * Whether a result changes this item. The first terminal result of an attempt wins, so a
	 * redelivered or duplicate result is a no-op; a result of a later attempt replaces; a result
	 * of an earlier attempt than the one this state belongs to is stale.
	 */
	boolean acceptsOutcome(int resultAttempt) {
		return resultAttempt > attempt || (resultAttempt == attempt && !state.terminal());
	}

	/** This item with the outcome of {@code result} applied, or this item if it does not accept it. */
	ItemProgress apply(ItemResult result) {
		return apply(outcomeOf(result));
	}

	ItemProgress apply(ItemProgress outcome) {
		if (!acceptsOutcome(outcome.attempt())) {
			return this;
		}
		return new ItemProgress(index, (itemId != null) ? itemId : outcome.itemId(), name, outcome.state(),
				outcome.attempt(), outcome.image(), outcome.errorCode(), outcome.errorMessage(), outcome.processedAt(),
				archive, entry, source, asset);
	}

	/**
	 * Whether a retry round may run this item again: it failed, its source is known, and either it
	 * is a URL item other than a refused URL (the origin may answer differently now) or a staged
	 * item whose bytes were kept (see {@link #RETRYABLE_STAGED_CODES}).
	 */
	public boolean retryable() {
		if (state != ItemState.FAILED || source == null) {
			return false;
		}
		if (source instanceof ItemSource.Remote) {
			return !ItemError.URL_REFUSED.name().equals(errorCode);
		}
		return RETRYABLE_STAGED_CODES.contains(errorCode);
	}

	/** This item pending again, for {@code nextAttempt}; it then accepts results of that attempt only or later. */
	ItemProgress retried(int nextAttempt) {
		return new ItemProgress(index, itemId, name, ItemState.PENDING, nextAttempt, null, null, null, null, archive,
				entry, source, asset);
	}

	/** This item as the batch names it, keeping the outcome it already has. */
	ItemProgress named(SubmittedItem item) {
		return new ItemProgress(index, item.itemId(), item.name(), state, attempt, image, errorCode, errorMessage,
				processedAt, item.archive(), item.entry(), item.source(), item.asset());
	}

	public boolean terminal() {
		return state.terminal();
	}

}
