package dev.intake.status.content;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import dev.intake.status.catalogue.CatalogueUnavailableException;
import dev.intake.status.catalogue.KeyedStore;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
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

	private final KeyedStore<ContentEntry> keyed;

	ContentStore(StreamsBuilderFactoryBean streams) {
		this.keyed = new KeyedStore<>(streams, ContentIndexTopology.STORE);
	}

	/** Where the content with this key is kept (its active instance), as of now. */
	KeyedStore.Location locate(String contentKey) {
		return keyed.locate(contentKey);
	}

	/** The entry from the active store of its partition on this instance; empty when not indexed. */
	Optional<ContentEntry> find(String contentKey, int partition) {
		return keyed.find(contentKey, partition);
	}

	/** Those of {@code objects} the index keeps, from this instance's copy of the global store. */
	List<String> owned(Collection<String> objects) {
		StoreQueryParameters<ReadOnlyKeyValueStore<String, String>> global = StoreQueryParameters
			.fromNameAndType(ContentIndexTopology.OWNERS, QueryableStoreTypes.<String, String>keyValueStore());
		try {
			ReadOnlyKeyValueStore<String, String> owners = keyed.running().store(global);
			return objects.stream().filter(object -> owners.get(object) != null).toList();
		}
		catch (InvalidStateStoreException ex) {
			throw new CatalogueUnavailableException("the kept uploads are not queryable here: " + ex.getMessage(),
					ex);
		}
	}

}
