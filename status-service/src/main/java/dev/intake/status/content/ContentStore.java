package dev.intake.status.content;

import java.util.Collection;
import java.util.List;
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
 * Interactive queries of the content index ({@link ContentIndexTopology#STORE}): which instance
 * keeps a content, its entry when kept here, and which upload objects the index keeps (the global
 * {@link ContentIndexTopology#OWNERS} store, whole on every instance). Calls may block briefly
 * (store reads) and throw {@link CatalogueUnavailableException} whenever Streams cannot answer for
 * sure (not started, rebalancing, the partition not active here).
 */
class ContentStore {

	private final StreamsBuilderFactoryBean streams;

	ContentStore(StreamsBuilderFactoryBean streams) {
		this.streams = streams;
	}

	/** Where the content with this key is kept (its active instance), as of now. */
	Location locate(String contentKey) {
		KeyQueryMetadata metadata;
		try {
			metadata = running().queryMetadataForKey(ContentIndexTopology.STORE, contentKey,
					Serdes.String().serializer());
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

	/** The entry from the active store of its partition on this instance; empty when not indexed. */
	Optional<ContentEntry> find(String contentKey, int partition) {
		StoreQueryParameters<ReadOnlyKeyValueStore<String, ContentEntry>> active = StoreQueryParameters
			.fromNameAndType(ContentIndexTopology.STORE, QueryableStoreTypes.<String, ContentEntry>keyValueStore())
			.withPartition(partition);
		try {
			return Optional.ofNullable(running().store(active).get(contentKey));
		}
		catch (InvalidStateStoreException ex) {
			throw new CatalogueUnavailableException(
					"partition " + partition + " not queryable here: " + ex.getMessage(), ex);
		}
	}

	/** Those of {@code objects} the index keeps, from this instance's copy of the global store. */
	List<String> owned(Collection<String> objects) {
		StoreQueryParameters<ReadOnlyKeyValueStore<String, String>> global = StoreQueryParameters
			.fromNameAndType(ContentIndexTopology.OWNERS, QueryableStoreTypes.<String, String>keyValueStore());
		try {
			ReadOnlyKeyValueStore<String, String> owners = running().store(global);
			return objects.stream().filter(object -> owners.get(object) != null).toList();
		}
		catch (InvalidStateStoreException ex) {
			throw new CatalogueUnavailableException("the kept uploads are not queryable here: " + ex.getMessage(),
					ex);
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
