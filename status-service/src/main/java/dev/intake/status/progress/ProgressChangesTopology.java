package dev.intake.status.progress;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;

/**
 * A part of the status topology built on the changes of the progress store (a bean; see
 * {@link ProgressStreamsConfiguration}): it runs in the same Kafka Streams instance and the same
 * exactly-once transactions as the progress aggregate.
 */
@FunctionalInterface
public interface ProgressChangesTopology {

	/**
	 * Adds this part to {@code builder}.
	 * @param changes every change of the progress store, merged by its record cache (so the
	 * latest state of a batch, not every update); a tombstone when retention deleted the batch
	 */
	void build(StreamsBuilder builder, KStream<String, BatchProgress> changes);

}
