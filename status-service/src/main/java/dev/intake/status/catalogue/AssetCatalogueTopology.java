package dev.intake.status.catalogue;

import java.util.HashMap;
import java.util.Map;

import dev.intake.contracts.Asset;
import dev.intake.contracts.JsonSerde;
import dev.intake.contracts.Topics;
import dev.intake.status.progress.BatchProgress;
import dev.intake.status.progress.ObjectUrls;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The asset catalogue, built on the changes of the progress store: the first success of each
 * asset-linked item ({@link AssetUpdates}) is re-keyed by its asset and repartitioned
 * ({@value #UPDATES}), so every update of one asset, from whichever batch partition, is applied
 * by one task, one after the other. There the {@link #STORE} aggregate reads the asset's previous
 * value and writes the next one ({@link #apply}), and every change goes to {@link Topics#ASSETS}
 * and, as an {@code asset.created} or {@code asset.replaced} CloudEvent, to {@link Topics#EVENTS}
 * ({@link AssetEvents}). The store has no record cache, so no revision is merged into a later one
 * and each gets its event. Both steps run exactly-once: an update is applied once, and the
 * store, the topics and the input offsets commit together.
 */
public final class AssetCatalogueTopology {

	/** The catalogue: the latest {@link Asset} per {@link Asset#key()}, for interactive queries. */
	public static final String STORE = "assets";

	/** Per batch key, the items already turned into asset updates. */
	static final String EMITTED = "asset-emissions";

	/** The repartition step; its topic is {@code <application.id>-asset-updates-repartition}. */
	static final String UPDATES = "asset-updates";

	/** The step that turns catalogue changes into CloudEvents. */
	static final String EVENTS = "asset-events";

	static final Serde<Object> EVENT_SERDE = new JsonSerde<>(Object.class);

	static final Serde<AssetUpdate> UPDATE_SERDE = new JsonSerde<>(AssetUpdate.class);

	private static final Log logger = LogFactory.getLog(AssetCatalogueTopology.class);

	private AssetCatalogueTopology() {
	}

	/** The repartition topic of the asset updates, as Kafka Streams names it. */
	static String updatesTopic(String applicationId) {
		return applicationId + "-" + UPDATES + "-repartition";
	}

	/** The catalogue on {@code changes}, files linked in its events by {@code urls}. */
	public static void build(StreamsBuilder builder, KStream<String, BatchProgress> changes, ObjectUrls urls) {
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EMITTED),
				Topics.BATCHES.keySerde(), new JsonSerde<>(AssetUpdates.Emitted.class)));
		KStream<String, Asset> assets = changes.process(AssetUpdates::new, Named.as(UPDATES + "-from-progress"), EMITTED)
			.repartition(Repartitioned.<String, AssetUpdate>as(UPDATES)
				.withKeySerde(Serdes.String())
				.withValueSerde(UPDATE_SERDE))
			.groupByKey(Grouped.with(UPDATES + "-by-asset", Serdes.String(), UPDATE_SERDE))
			.aggregate(() -> null, AssetCatalogueTopology::apply, Named.as(STORE + "-aggregate"),
					Materialized.<String, Asset, KeyValueStore<Bytes, byte[]>>as(STORE)
						.withKeySerde(Topics.ASSETS.keySerde())
						.withValueSerde(Topics.ASSETS.valueSerde())
						.withCachingDisabled())
			.toStream(Named.as(STORE + "-changes"));
		assets.to(Topics.ASSETS.name(), Produced.with(Topics.ASSETS.keySerde(), Topics.ASSETS.valueSerde())
			.withName(Topics.ASSETS.name()));
		assets.processValues(() -> new AssetEvents(urls), Named.as(EVENTS))
			.to(Topics.EVENTS, Produced.with(Topics.ASSETS.keySerde(), EVENT_SERDE).withName(EVENTS + "-sink"));
	}

	/**
	 * The asset after one more stored file. The first is revision 1, created and updated when it
	 * was processed. Each later one (a replacement) keeps the id, the creating API and the
	 * created time, adds its attributes over the previous ones, counts one more revision and
	 * moves the updated time to its processing time unless that is earlier: the updated time
	 * never goes back, even when racing replacements were processed out of order. The file is
	 * the one applied last.
	 */
	static Asset apply(String key, AssetUpdate update, Asset previous) {
		if (previous == null) {
			if (update.link().replace()) {
				logger.warn("Asset " + key + " replaced before it was ever stored; storing it as new");
			}
			return new Asset(update.tenant(), update.link().id(), update.link().api(), update.link().attributes(),
					update.name(), update.file(), update.processedAt(), update.processedAt(), 1, update.batchId());
		}
		Map<String, String> attributes = new HashMap<>(previous.attributes());
		attributes.putAll(update.link().attributes());
		var updatedAt = (previous.updatedAt() != null && previous.updatedAt().isAfter(update.processedAt()))
				? previous.updatedAt() : update.processedAt();
		return new Asset(previous.tenant(), previous.id(), (previous.api() != null) ? previous.api()
				: update.link().api(), attributes, update.name(), update.file(), previous.createdAt(), updatedAt,
				previous.revision() + 1, update.batchId());
	}

}
