package dev.intake.status.lookup;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import dev.intake.status.progress.BatchProgress;
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
 * Interactive queries of the {@link BatchProgressTopology#STORE} store: where a batch lives, and
 * its progress when it lives here. Every call may block briefly (store reads) and throws
 * {@link StatusUnavailableException} whenever Streams cannot answer for sure (not started,
 * rebalancing, the partition not active here).
 */
public class BatchProgressStore {

	private final StreamsBuilderFactoryBean streams;

	private final Duration retention;

	private final Clock clock;

	BatchProgressStore(StreamsBuilderFactoryBean streams, Duration retention, Clock clock) {
		this.streams = streams;
		this.retention = retention;
		this.clock = clock;
	}

	/** The Kafka Streams {@code application.id}: also the consumer group of its input topics. */
	String applicationId() {
		return streams.getStreamsConfiguration().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
	}

	/** Where the batch with this key is kept (its active instance), as of now. */
	public BatchLocation locate(String key) {
		KeyQueryMetadata metadata;
		try {
			metadata = running().queryMetadataForKey(BatchProgressTopology.STORE, key, Serdes.String().serializer());
		}
		catch (RuntimeException ex) {
			throw new StatusUnavailableException("no metadata for the key: " + ex.getMessage(), ex);
		}
		if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE) || metadata.activeHost() == null) {
			throw new StatusUnavailableException("no metadata for the key (starting or rebalancing)");
		}
		return new BatchLocation(metadata.activeHost(), metadata.partition(), metadata.activeHost().equals(self()));
	}

	/**
	 * The progress of a batch from the active store of its partition on this instance; empty
	 * when the store has no submitted batch under the key, only one past its retention (which
	 * the store deletes at its next scan), or an {@link BatchProgress#internal() internal} one,
	 * which every look-up answers as it answers an unknown batch.
	 */
	public Optional<BatchProgress> find(String key, int partition) {
		// IQv1 on purpose: an IQv2 key query can deadlock the stream thread in Kafka Streams 4.2
		// (KAFKA-19629: query takes the position lock then the store lock, put the reverse).
		StoreQueryParameters<ReadOnlyKeyValueStore<String, BatchProgress>> active = StoreQueryParameters
			.fromNameAndType(BatchProgressTopology.STORE, QueryableStoreTypes.<String, BatchProgress>keyValueStore())
			.withPartition(partition);
		BatchProgress progress;
		try {
			progress = running().store(active).get(key);
		}
		catch (InvalidStateStoreException ex) {
			throw new StatusUnavailableException("partition " + partition + " not queryable here: " + ex.getMessage(),
					ex);
		}
		return Optional.ofNullable(progress)
			.filter(BatchProgress::submitted)
			.filter(found -> !found.internal())
			.filter(found -> !found.expired(clock.instant(), retention));
	}

	private KafkaStreams running() {
		KafkaStreams kafkaStreams = streams.getKafkaStreams();
		if (kafkaStreams == null) {
			throw new StatusUnavailableException("Kafka Streams is not started");
		}
		return kafkaStreams;
	}

	private HostInfo self() {
		return HostInfo.buildFromEndpoint(
				streams.getStreamsConfiguration().getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG));
	}

	/** The instance that owns a key, and the partition of the input topics the key is in. */
	public record BatchLocation(HostInfo host, int partition, boolean local) {
	}

}
