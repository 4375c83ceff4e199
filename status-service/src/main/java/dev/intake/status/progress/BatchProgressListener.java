package dev.intake.status.progress;

/**
 * Told of every update of a batch's progress, on the Kafka Streams thread that made it, right
 * after the store was written (before the exactly-once commit, like interactive queries see it).
 * Must return at once: it holds up the processing of its partition.
 */
@FunctionalInterface
public interface BatchProgressListener {

	/** Listens to nothing. */
	BatchProgressListener NONE = (key, progress) -> {
	};

	void changed(String key, BatchProgress progress);

}
