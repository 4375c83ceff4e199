package dev.intake.status.links;

import java.util.Optional;

import dev.intake.status.catalogue.CatalogueUnavailableException;
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
 * Interactive queries of the {@link NurseryLinksTopology#STORE} store: which instance keeps a
 * batch (and its partition of {@code intake.nursery-links}), and the batch when it is kept here.
 * Calls may block briefly (store reads) and throw {@link CatalogueUnavailableException} whenever
 * Streams cannot answer for sure (not started, rebalancing, the partition not active here).
 */
class LinkStore {

	private final StreamsBuilderFactoryBean streams;

	LinkStore(StreamsBuilderFactoryBean streams) {
		this.streams = streams;
	}

	/** The Kafka Streams {@code application.id}: also the consumer group of its topics. */
	String applicationId() {
		return streams.getStreamsConfiguration().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
	}

	/** Where the batch with this key is kept (its active instance), as of now. */
	Location locate(String key) {
		KeyQueryMetadata metadata;
		try {
			metadata = running().queryMetadataForKey(NurseryLinksTopology.STORE, key, Serdes.String().serializer());
		}
		catch (RuntimeException ex) {
			throw new CatalogueUnavailableException("no metadata for the key: " + ex.getMessage(), ex);
		}
		if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE) || metadata.activeHost() == null) {
			throw new CatalogueUnavailableException("no metadata for the key (starting or rebalancing)");
		}
		HostInfo self = HostInfo.buildFromEndpoint(
				streams.getStreamsConfiguration().getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG));
		return new Location(metadata.activeHost(), metadata.partition(), metadata.activeHost().equals(self));
	}

	/** The batch from the active store of its partition on this instance; empty when nothing was linked. */
	Optional<NurseryBatch> find(String key, int partition) {
		StoreQueryParameters<ReadOnlyKeyValueStore<String, NurseryBatch>> active = StoreQueryParameters
			.fromNameAndType(NurseryLinksTopology.STORE, QueryableStoreTypes.<String, NurseryBatch>keyValueStore())
			.withPartition(partition);
		try {
			return Optional.ofNullable(running().store(active).get(key));
		}
		catch (InvalidStateStoreException ex) {
			throw new CatalogueUnavailableException(
					"partition " + partition + " not queryable here: " + ex.getMessage(), ex);
		}
	}

	private KafkaStreams running() {
		KafkaStreams kafkaStreams = streams.getKafkaStreams();
		if (kafkaStreams == null) {
			throw new CatalogueUnavailableException("Kafka Streams is not started");
		}
		return kafkaStreams;
	}

	/** The instance that keeps a key, and the partition the key is in. */
	record Location(HostInfo host, int partition, boolean local) {
	}

}
