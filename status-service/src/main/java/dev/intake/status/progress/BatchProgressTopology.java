package dev.intake.status.progress;

import java.time.Duration;

import dev.intake.contracts.BatchRecord;
import dev.intake.contracts.BatchRetried;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.JsonSerde;
import dev.intake.contracts.Topic;
import dev.intake.contracts.Topics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The status topology: {@link Topics#BATCHES} (submissions and retry rounds, read as
 * {@link Topics#BATCH_RECORDS}) and {@link Topics#RESULTS}, both keyed by the
 * batch key and co-partitioned, are co-grouped by key (no repartition) into one
 * {@link BatchProgress} per batch, kept in the {@link #STORE} key-value store for interactive
 * queries.
 * <p>
 * The store has a record cache: a batch's updates between two commits reach RocksDB, the
 * changelog and downstream as one; interactive queries read through it.
 * <p>
 * Runs exactly-once, and the aggregate is idempotent per item anyway: a duplicate or
 * redelivered result changes nothing, a later attempt replaces, a result before its batch
 * waits for it. A {@link BatchRetried} round makes its failed items pending for a higher attempt;
 * results of earlier attempts are then stale and ignored.
 * <p>
 * The batch's CloudEvents go to {@link Topics#EVENTS} under its key (see {@link BatchEvents}):
 * an {@code ItemStored} or {@code ItemFailed} per item and attempt, then a {@code BatchCompleted}
 * per retry round. The {@link #ITEM_ANNOUNCEMENTS} and {@link #COMPLETIONS} stores remember what
 * was announced, so neither later duplicates nor updates the cache merged announce anything
 * again, and exactly-once makes the emission commit with the stores.
 */
public final class BatchProgressTopology {

	/** The store of batch progress, keyed by the {@link dev.intake.contracts.BatchKey} string. */
	public static final String STORE = "batch-progress";

	/** The last retry round whose completion each batch announced, by batch key. */
	static final String COMPLETIONS = "batch-completions";

	/** Per batch key, the last attempt announced of each item ({@link BatchEvents.AnnouncedAttempts}). */
	static final String ITEM_ANNOUNCEMENTS = "item-announcements";

	/** Object URLs of the default {@code intake.images.public-base-url}, for tests. */
	static final ObjectUrls DEFAULT_URLS = key -> "http://127.0.0.1:8080/i/" + key;

	/**
	 * Batches whose last written value the store's serde keeps, to read it back without parsing
	 * and to write the next one without serialising the items it shares.
	 */
	private static final int REMEMBERED_BATCHES = 32;

	private static final Log logger = LogFactory.getLog(BatchProgressTopology.class);

	private BatchProgressTopology() {
	}

	/** The topology with the default retention and no listener (for tests); returns its changes. */
	public static KStream<String, BatchProgress> build(StreamsBuilder builder) {
		return build(builder, new RetentionProperties(Duration.ofDays(30), Duration.ofMinutes(10), 10_000),
				BatchProgressListener.NONE, DEFAULT_URLS);
	}

	/**
	 * The topology: batches kept as {@code retention} says, {@code listener} told of every
	 * update of a batch (for live progress), stored files linked in events by {@code urls}. Returns the stream of the store's changes (merged by
	 * its cache; a batch deleted by retention as a tombstone) for other parts of the topology.
	 */
	public static KStream<String, BatchProgress> build(StreamsBuilder builder, RetentionProperties retention,
			BatchProgressListener listener, ObjectUrls urls) {
		KGroupedStream<String, BatchRecord> batches = byKey(builder, Topics.BATCH_RECORDS, "batches");
		KGroupedStream<String, ItemResult> results = byKey(builder, Topics.RESULTS, "results");
		KTable<String, BatchProgress> progress = batches.cogroup(BatchProgressTopology::onBatchRecord)
			.cogroup(results, BatchProgressTopology::onResult)
			.aggregate(BatchProgress::none, Named.as(STORE + "-aggregate"),
					Materialized.<String, BatchProgress, KeyValueStore<Bytes, byte[]>>as(STORE)
						.withKeySerde(Topics.BATCHES.keySerde())
						.withValueSerde(new RememberingSerde<>(new BatchProgressSerde(REMEMBERED_BATCHES), REMEMBERED_BATCHES))
						.withCachingEnabled());
		KStream<String, BatchProgress> changes = progress.toStream(Named.as(STORE + "-changes"));
		changes.foreach(listener::changed, Named.as(STORE + "-listener"));
		changes.process(() -> new BatchRetention(retention.retention(), retention.retentionScanInterval(),
				retention.retentionMaxDeletesPerScan()), Named.as(STORE + "-retention"), STORE);
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COMPLETIONS),
				Topics.BATCHES.keySerde(), Serdes.Integer()));
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ITEM_ANNOUNCEMENTS),
				Topics.BATCHES.keySerde(), new JsonSerde<>(BatchEvents.AnnouncedAttempts.class)));
		changes.processValues(() -> new BatchEvents(urls), Named.as("batch-completed-events"), COMPLETIONS,
				ITEM_ANNOUNCEMENTS)
			.to(Topics.EVENTS, Produced.with(Topics.BATCHES.keySerde(), BatchEvents.SERDE).withName(Topics.EVENTS));
		return changes;
	}

	private static <V> KGroupedStream<String, V> byKey(StreamsBuilder builder, Topic<String, V> topic, String name) {
		return builder.stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name))
			.groupByKey(Grouped.<String, V>as(name + "-by-batch")
				.withKeySerde(topic.keySerde())
				.withValueSerde(topic.valueSerde()));
	}

	static BatchProgress onBatchRecord(String key, BatchRecord record, BatchProgress progress) {
		if (record instanceof BatchRetried retry) {
			return onRetried(key, retry, progress);
		}
		return onSubmitted(key, (BatchSubmitted) record, progress);
	}

	static BatchProgress onRetried(String key, BatchRetried retry, BatchProgress progress) {
		BatchProgress next = progress.withRetry(retry);
		if (next == progress) {
			logger.info("Retry round " + retry.retryRound() + " of batch " + key + " changes nothing (batch unknown, "
					+ "or round " + progress.retryRound() + " already applied)");
			return progress;
		}
		logger.info("Retry round " + retry.retryRound() + " of batch " + key + ": "
				+ (next.totalCount() - next.processedCount()) + " items pending again");
		return next;
	}

	static BatchProgress onSubmitted(String key, BatchSubmitted batch, BatchProgress progress) {
		if (progress.submitted()) {
			logger.debug("Batch " + key + " submitted again; the first submission stands");
			return progress;
		}
		BatchProgress next = progress.withSubmission(batch);
		progress.unmatched()
			.stream()
			.filter(early -> !next.contains(early.index()))
			.forEach(early -> logger.warn("Dropping result for index " + early.index() + " of batch " + key
					+ ": the batch has " + next.totalCount() + " items"));
		return next;
	}

	static BatchProgress onResult(String key, ItemResult result, BatchProgress progress) {
		if (progress.submitted() && !progress.contains(result.index())) {
			logger.warn("Ignoring result for index " + result.index() + " of batch " + key + ": the batch has "
					+ progress.totalCount() + " items");
			return progress;
		}
		BatchProgress next = progress.withResult(result);
		if (next == progress && logger.isDebugEnabled()) {
			logger.debug("Result for index " + result.index() + " attempt " + result.attempt() + " of batch " + key
					+ " changes nothing (duplicate or stale)");
		}
		return next;
	}

}
