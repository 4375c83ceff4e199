package dev.intake.status.catalogue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.intake.status.progress.BatchProgress;
import dev.intake.status.progress.ItemProgress;
import dev.intake.status.progress.ItemState;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns the changes of the progress store into {@link AssetUpdate}s, one per asset-linked item
 * the first time it is seen stored, re-keyed by its asset. The
 * {@link AssetCatalogueTopology#EMITTED} store remembers, per batch, the items already turned
 * into updates, so a duplicate result, a repeated submission or a later change of the batch
 * never updates an asset twice; it does not depend on seeing the very change that stored the
 * item, which the progress store's cache may merge with later ones. A stored item is final (only
 * failed items are run again), so "once per item" is "once per stored file". Exactly-once
 * commits the updates with that store and the progress store. A batch deleted by retention is
 * forgotten here too.
 */
final class AssetUpdates extends ContextualProcessor<String, BatchProgress, String, AssetUpdate> {

	private KeyValueStore<String, Emitted> emitted;

	@Override
	public void init(ProcessorContext<String, AssetUpdate> context) {
		super.init(context);
		this.emitted = context.getStateStore(AssetCatalogueTopology.EMITTED);
	}

	@Override
	public void process(Record<String, BatchProgress> record) {
		BatchProgress batch = record.value();
		if (batch == null) {
			if (emitted.get(record.key()) != null) {
				emitted.delete(record.key());
			}
			return;
		}
		List<ItemProgress> stored = storedAssetItems(batch);
		if (stored.isEmpty()) {
			return;
		}
		Emitted before = emitted.get(record.key());
		Set<Integer> done = new TreeSet<>((before != null) ? before.indices() : List.of());
		for (ItemProgress item : stored) {
			if (done.add(item.index())) {
				AssetUpdate update = new AssetUpdate(batch.tenant(), batch.batchId(), item.index(), item.asset(),
						item.name(), item.image(), item.processedAt());
				context().forward(record.withKey(update.assetKey()).withValue(update));
			}
		}
		if (before == null || done.size() != before.indices().size()) {
			emitted.put(record.key(), new Emitted(new ArrayList<>(done)));
		}
	}

	private static List<ItemProgress> storedAssetItems(BatchProgress batch) {
		if (!batch.submitted()) {
			return List.of();
		}
		return batch.items()
			.stream()
			.filter(item -> item.asset() != null && item.state() == ItemState.SUCCEEDED && item.image() != null)
			.toList();
	}

	/** The indices of a batch's items already turned into asset updates, ascending. */
	record Emitted(List<Integer> indices) {

		Emitted {
			indices = (indices != null) ? List.copyOf(indices) : List.of();
		}

	}

}
