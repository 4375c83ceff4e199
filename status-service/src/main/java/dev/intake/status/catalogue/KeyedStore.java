package dev.intake.status.catalogue;

import java.util.Optional;

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
 * Interactive queries of one key-value store of the status topology, keyed by strings: which
 * instance keeps a key (its active host and partition) and the value from this instance's active
 * store of that partition. Used by the asset catalogue, the nursery links and the content index
 * alike. Calls may block briefly (store reads) and throw {@link CatalogueUnavailableException}
 * whenever Streams cannot answer for sure (not started, rebalancing, the partition not active here).
 * IQv1, as the batch look-ups: IQv2 key queries can deadlock the stream thread (KAFKA-19629).
 *
 * @param <V> the store's values
 */
public final class KeyedStore<V> {

	private final StreamsBuilderFactoryBean streams;

	private final String store;

	public KeyedStore(StreamsBuilderFactoryBean streams, String store) {
		this.streams = streams;
		this.store = store;
	}

	/** The Kafka Streams {@code application.id}: also the consumer group of its topics. */
	public String applicationId() {
		return streams.getStreamsConfiguration().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
	}

	/** Where the key is kept (its active instance), as of now. */
	public Location locate(String key) {
		KeyQueryMetadata metadata = metadata(store, key);
		HostInfo self = HostInfo.buildFromEndpoint(
				streams.getStreamsConfiguration().getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG));
		return new Location(metadata.activeHost(), metadata.partition(), metadata.activeHost().equals(self));
	}

	/** The partition {@code key} is in for another store of the same topology. */
	public int partitionIn(String otherStore, String key) {
		return metadata(otherStore, key).partition();
	}

	/** The value from the active store of its partition on this instance; empty when absent. */
	public Optional<V> find(String key, int partition) {
		StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> active = StoreQueryParameters
			.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore())
			.withPartition(partition);
		try {
			return Optional.ofNullable(running().store(active).get(key));
		}
		catch (InvalidStateStoreException ex) {
			throw new CatalogueUnavailableException(
					"partition " + partition + " not queryable here: " + ex.getMessage(), ex);
		}
	}

	/** The running Kafka Streams instance. */
	public KafkaStreams running() {
		KafkaStreams kafkaStreams = streams.getKafkaStreams();
		if (kafkaStreams == null) {
			throw new CatalogueUnavailableException("Kafka Streams is not started");
		}
		return kafkaStreams;
	}

	private KeyQueryMetadata metadata(String storeName, String key) {
		KeyQueryMetadata metadata;
		try {
			metadata = running().queryMetadataForKey(storeName, key, Serdes.String().serializer());
		}
		catch (RuntimeException ex) {
			throw new CatalogueUnavailableException("no metadata for the key: " + ex.getMessage(), ex);
		}
		if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE) || metadata.activeHost() == null) {
			throw new CatalogueUnavailableException("no metadata for the key (starting or rebalancing)");
		}
		return metadata;
	}

	/** The instance that keeps a key, and the partition the key is in. */
	public record Location(HostInfo host, int partition, boolean local) {
	}

}
