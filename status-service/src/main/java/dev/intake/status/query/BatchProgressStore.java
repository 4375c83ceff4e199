package dev.intake.status.query;

import java.util.Optional;
import java.util.Set;

import dev.intake.status.progress.BatchProgress;
import dev.intake.status.progress.BatchProgressTopology;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.HostInfo;

import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Interactive queries of the {@link BatchProgressTopology#STORE} store: where a batch lives, and
 * its progress when it lives here. Every call may block briefly (store reads) and throws
 * {@link StatusUnavailableException} whenever Streams cannot answer for sure (not started,
 * rebalancing, the partition not active here).
 */
class BatchProgressStore {

	private final StreamsBuilderFactoryBean streams;

	BatchProgressStore(StreamsBuilderFactoryBean streams) {
		this.streams = streams;
	}

	/** The Kafka Streams {@code application.id}: also the consumer group of its input topics. */
	String applicationId() {
		return streams.getStreamsConfiguration().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
	}

	/** Where the batch with this key is kept (its active instance), as of now. */
	BatchLocation locate(String key) {
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
	 * when the store has no submitted batch under the key.
	 */
	Optional<BatchProgress> find(String key, int partition) {
		StateQueryRequest<BatchProgress> request = StateQueryRequest.inStore(BatchProgressTopology.STORE)
			.withQuery(KeyQuery.<String, BatchProgress>withKey(key))
			.withPartitions(Set.of(partition))
			.requireActive();
		StateQueryResult<BatchProgress> result;
		try {
			result = running().query(request);
		}
		catch (RuntimeException ex) {
			throw new StatusUnavailableException("store query failed: " + ex.getMessage(), ex);
		}
		QueryResult<BatchProgress> partitionResult = result.getPartitionResults().get(partition);
		if (partitionResult == null) {
			throw new StatusUnavailableException("no answer for partition " + partition);
		}
		if (partitionResult.isFailure()) {
			throw new StatusUnavailableException("partition " + partition + ": " + partitionResult.getFailureReason()
					+ " " + partitionResult.getFailureMessage());
		}
		return Optional.ofNullable(partitionResult.getResult()).filter(BatchProgress::submitted);
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
	record BatchLocation(HostInfo host, int partition, boolean local) {
	}

}
