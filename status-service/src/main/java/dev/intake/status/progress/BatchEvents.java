package dev.intake.status.progress;

import java.util.Arrays;
import java.util.List;

import dev.intake.contracts.BatchCompleted;
import dev.intake.contracts.BatchKey;
import dev.intake.contracts.CloudEventHeaders;
import dev.intake.contracts.EventType;
import dev.intake.contracts.ItemError;
import dev.intake.contracts.ItemFailed;
import dev.intake.contracts.ItemIds;
import dev.intake.contracts.ItemStored;
import dev.intake.contracts.JsonSerde;
import dev.intake.contracts.StoredFile;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Publishes a batch's CloudEvents (Kafka binary mode, the data as JSON, the attributes as
 * {@code ce_*} headers; see {@link CloudEventHeaders}) from the changes of the progress store:
 * one {@link ItemStored} or {@link ItemFailed} per item and attempt, then one
 * {@link BatchCompleted} per retry round. Both come out of this one processor, so a batch's item
 * events always precede its completion under the same key.
 * <p>
 * The changes are merged by the store's cache, so this never relies on seeing the change that
 * made an item terminal: the {@link BatchProgressTopology#ITEM_ANNOUNCEMENTS} store keeps per
 * batch the last attempt announced per item, and the {@link BatchProgressTopology#COMPLETIONS}
 * store the last round whose completion was announced. An item is announced when its terminal
 * attempt is newer than the one announced, so a duplicate result, a repeated submission or a
 * merged update announces nothing twice, and a retry's outcome is a new event. Exactly-once
 * commits the events with both stores. Ids derive from batch, item and attempt (or round), so a
 * subscriber drops a replay by id. The input record's own headers are not passed on.
 * A batch deleted by retention is forgotten here too. An {@link BatchProgress#internal() internal}
 * batch is announced never, neither its items nor its completion.
 */
final class BatchEvents extends ContextualFixedKeyProcessor<String, BatchProgress, Object> {

	/** Serialises any event's data as JSON. */
	static final Serde<Object> SERDE = new JsonSerde<>(Object.class);

	/** For a failed item that carries no message of its own: every {@link ItemFailed} has one. */
	static final String FALLBACK_ERROR_MESSAGE = "The image could not be processed.";

	private final ObjectUrls urls;

	private KeyValueStore<String, Integer> completions;

	private KeyValueStore<String, AnnouncedAttempts> items;

	BatchEvents(ObjectUrls urls) {
		this.urls = urls;
	}

	@Override
	public void init(FixedKeyProcessorContext<String, Object> context) {
		super.init(context);
		this.completions = context.getStateStore(BatchProgressTopology.COMPLETIONS);
		this.items = context.getStateStore(BatchProgressTopology.ITEM_ANNOUNCEMENTS);
	}

	@Override
	public void process(FixedKeyRecord<String, BatchProgress> record) {
		BatchProgress batch = record.value();
		if (batch == null) {
			completions.delete(record.key());
			items.delete(record.key());
			return;
		}
		if (!batch.submitted() || batch.internal()) {
			// nothing to announce yet, or ever: an internal batch is no client's
			return;
		}
		announceItems(record, batch);
		if (!batch.complete()) {
			return;
		}
		Integer round = completions.get(record.key());
		if (round != null && round >= batch.retryRound()) {
			return;
		}
		completions.put(record.key(), batch.retryRound());
		BatchCompleted event = new BatchCompleted(batch.tenant(), batch.batchId(), batch.totalCount(),
				batch.successCount(), batch.failedCount(), batch.submittedAt(), batch.completedAt());
		context().forward(record.withValue(event)
			.withHeaders(CloudEventHeaders.of(EventType.BATCH_COMPLETED,
					idOf(event.tenant(), event.batchId(), batch.retryRound()), event.batchId(), event.completedAt(),
					event.tenant())));
	}

	private void announceItems(FixedKeyRecord<String, BatchProgress> record, BatchProgress batch) {
		List<ItemProgress> progress = batch.items();
		AnnouncedAttempts before = items.get(record.key());
		int[] announced = (before != null && before.attempts().length == progress.size())
				? Arrays.copyOf(before.attempts(), progress.size()) : new int[progress.size()];
		boolean changed = false;
		for (int at = 0; at < progress.size(); at++) {
			ItemProgress item = progress.get(at);
			if (item.terminal() && item.attempt() > announced[at]) {
				announced[at] = item.attempt();
				changed = true;
				context().forward(eventOf(record, batch, item));
			}
		}
		if (changed) {
			items.put(record.key(), new AnnouncedAttempts(announced));
		}
	}

	private FixedKeyRecord<String, Object> eventOf(FixedKeyRecord<String, BatchProgress> record, BatchProgress batch,
			ItemProgress item) {
		String itemId = (item.itemId() != null) ? item.itemId()
				: ItemIds.of(new BatchKey(batch.tenant(), batch.batchId()), item.index());
		String subject = batch.batchId() + "/" + item.index();
		String id = itemEventIdOf(itemId, item.attempt());
		if (item.state() == ItemState.SUCCEEDED) {
			StoredFile file = (item.image() != null) ? StoredFile.of(item.image(), urls) : null;
			ItemStored data = new ItemStored(batch.tenant(), batch.batchId(), itemId, item.index(), item.name(),
					item.attempt(), file, item.archive(), item.entry(),
					item.processedAt());
			return record.withValue((Object) data)
				.withHeaders(CloudEventHeaders.of(EventType.ITEM_STORED, id, subject, item.processedAt(),
						batch.tenant()));
		}
		String code = (item.errorCode() != null) ? item.errorCode() : ItemError.PROCESSING_FAILED.name();
		String message = (item.errorMessage() != null) ? item.errorMessage() : FALLBACK_ERROR_MESSAGE;
		ItemFailed data = new ItemFailed(batch.tenant(), batch.batchId(), itemId, item.index(), item.name(),
				item.attempt(), code, message, item.archive(), item.entry(), item.processedAt());
		return record.withValue((Object) data)
			.withHeaders(
					CloudEventHeaders.of(EventType.ITEM_FAILED, id, subject, item.processedAt(), batch.tenant()));
	}

	/** The id of an item's event for one attempt: {@code tenant/batchId/index/attempt-N}. */
	static String itemEventIdOf(String itemId, int attempt) {
		return itemId + "/attempt-" + attempt;
	}

	static String idOf(String tenant, String batchId) {
		return tenant + "/" + batchId + "/completed";
	}

	/** The id of the completion of a retry round: the batch's own for round 0, one per round after. */
	static String idOf(String tenant, String batchId, int retryRound) {
		return (retryRound == 0) ? idOf(tenant, batchId) : idOf(tenant, batchId) + "/retry-" + retryRound;
	}

	/**
	 * Per item of a batch, by its position, the last attempt whose outcome was announced; 0 for
	 * none yet.
	 */
	record AnnouncedAttempts(int[] attempts) {

		AnnouncedAttempts {
			attempts = (attempts != null) ? attempts : new int[0];
		}

	}

}
