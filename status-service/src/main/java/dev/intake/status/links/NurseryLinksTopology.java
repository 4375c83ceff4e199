package dev.intake.status.links;

import dev.intake.contracts.JsonSerde;
import dev.intake.contracts.NurseryLink;
import dev.intake.contracts.Topics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The nursery image API's batches: every {@link NurseryLink} of {@link Topics#NURSERY_LINKS} is
 * applied to its batch ({@link NurseryBatch#with}) in the {@link #STORE} store, under the link's
 * own key, so no repartitioning: once this application's committed offset on a link's partition
 * reaches a position, the store shows every link below it (read-your-writes, see
 * {@link LinkLookup}). Exactly-once like the rest of the status topology: a link is applied once.
 */
final class NurseryLinksTopology {

	/** The batches: {@link NurseryBatch} per {@link NurseryLink#key()}, for interactive queries. */
	static final String STORE = "nursery-batches";

	static final Serde<NurseryBatch> BATCH_SERDE = new JsonSerde<>(NurseryBatch.class);

	private static final Log logger = LogFactory.getLog(NurseryLinksTopology.class);

	private NurseryLinksTopology() {
	}

	static void build(StreamsBuilder builder) {
		builder
			.stream(Topics.NURSERY_LINKS.name(),
					Consumed.with(Topics.NURSERY_LINKS.keySerde(), Topics.NURSERY_LINKS.valueSerde())
						.withName(Topics.NURSERY_LINKS.name()))
			.groupByKey(Grouped.with(STORE + "-by-batch", Topics.NURSERY_LINKS.keySerde(),
					Topics.NURSERY_LINKS.valueSerde()))
			.aggregate(() -> NurseryBatch.EMPTY, NurseryLinksTopology::apply, Named.as(STORE + "-aggregate"),
					Materialized.<String, NurseryBatch, KeyValueStore<Bytes, byte[]>>as(STORE)
						.withKeySerde(Topics.NURSERY_LINKS.keySerde())
						.withValueSerde(BATCH_SERDE)
						.withCachingDisabled());
	}

	static NurseryBatch apply(String key, NurseryLink link, NurseryBatch batch) {
		if (link == null || !key.equals(link.key())) {
			logger.warn("Ignoring a nursery link whose key does not match it: " + key);
			return batch;
		}
		if (batch.isFull() && !batch.lists(link.fileId())) {
			logger.warn("Nursery batch " + key + " is full (" + batch.links().size() + " files); link of file "
					+ link.fileId() + " dropped");
		}
		return batch.with(link);
	}

}
