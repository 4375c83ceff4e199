package dev.intake.status.catalogue;

import java.util.Optional;

import dev.intake.contracts.Asset;
import dev.intake.status.progress.BatchProgressTopology;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Interactive queries of the {@link AssetCatalogueTopology#STORE} store: where an asset lives
 * (the partition of its updates), and its value when it lives here. Calls may block briefly
 * (store reads) and throw {@link CatalogueUnavailableException} whenever Streams cannot answer
 * for sure (not started, rebalancing, the partition not active here).
 */
class AssetStore {

	private final StreamsBuilderFactoryBean streams;

	AssetStore(StreamsBuilderFactoryBean streams) {
		this.streams = streams;
	}

	/** The Kafka Streams {@code application.id}: also the consumer group of its topics. */
	String applicationId() {
		return streams.getStreamsConfiguration().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
	}

	/** Where the asset with this key is kept (its active instance), as of now. */
	Location locate(String assetKey) {
		KeyQueryMetadata metadata = metadata(AssetCatalogueTopology.STORE, assetKey);
		return new Location(metadata.activeHost(), metadata.partition(), metadata.activeHost().equals(self()));
	}

	/** The partition of {@code intake.batches} and {@code intake.results} a batch key is in. */
	int batchPartition(String batchKey) {
		return metadata(BatchProgressTopology.STORE, batchKey).partition();
	}

	/** The asset from the active store of its partition on this instance. */
	Optional<Asset> find(String assetKey, int partition) {
		// IQv1, as the batch look-ups: IQv2 key queries can deadlock the stream thread (KAFKA-19629)
		StoreQueryParameters<ReadOnlyKeyValueStore<String, Asset>> active = StoreQueryParameters
			.fromNameAndType(AssetCatalogueTopology.STORE, QueryableStoreTypes.<String, Asset>keyValueStore())
			.withPartition(partition);
		try {
			return Optional.ofNullable(running().store(active).get(assetKey));
		}
		catch (InvalidStateStoreException ex) {
			throw new CatalogueUnavailableException(
					"partition " + partition + " not queryable here: " + ex.getMessage(), ex);
		}
	}

	private KeyQueryMetadata metadata(String store, String key) {
		KeyQueryMetadata metadata;
		try {
			metadata = running().queryMetadataForKey(store, key, Serdes.String().serializer());
		}
		catch (RuntimeException ex) {
			throw new CatalogueUnavailableException("no metadata for the key: " + ex.getMessage(), ex);
		}
		if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE) || metadata.activeHost() == null) {
			throw new CatalogueUnavailableException("no metadata for the key (starting or rebalancing)");
		}
		return metadata;
	}

	private KafkaStreams running() {
		KafkaStreams kafkaStreams = streams.getKafkaStreams();
		if (kafkaStreams == null) {
			throw new CatalogueUnavailableException("Kafka Streams is not started");
		}
		return kafkaStreams;
	}

	private HostInfo self() {
		return HostInfo.buildFromEndpoint(
				streams.getStreamsConfiguration().getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG));
	}

	/** The instance that owns a key, and the partition the key is in. */
	record Location(HostInfo host, int partition, boolean local) {
	}

}
