package dev.intake.status.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Deletes batches older than the retention from the {@link BatchProgressTopology#STORE} store,
 * scanning it on wall-clock time every scan interval; each delete is a tombstone in the store's
 * changelog, so the store and its changelog are bounded by the retention, not by history. A
 * batch expires {@code retention} after its submission; results still waiting for a batch that
 * never came expire {@code retention} after the last of them arrived. Queries do not wait for the
 * scan: {@link BatchProgress#expired} hides an expired batch at once.
 * <p>
 * Receives the store's changes only to be part of its task; it ignores them.
 */
final class BatchRetention implements Processor<String, BatchProgress, Void, Void> {

	private static final Log logger = LogFactory.getLog(BatchRetention.class);

	private final Duration retention;

	private final Duration scanInterval;

	private final int maxDeletesPerScan;

	private TimestampedKeyValueStore<String, BatchProgress> store;

	BatchRetention(Duration retention, Duration scanInterval, int maxDeletesPerScan) {
		this.retention = retention;
		this.scanInterval = scanInterval;
		this.maxDeletesPerScan = maxDeletesPerScan;
	}

	@Override
	public void init(ProcessorContext<Void, Void> context) {
		this.store = context.getStateStore(BatchProgressTopology.STORE);
		context.schedule(scanInterval, PunctuationType.WALL_CLOCK_TIME, this::deleteExpired);
	}

	@Override
	public void process(Record<String, BatchProgress> record) {
	}

	private void deleteExpired(long nowMs) {
		Instant now = Instant.ofEpochMilli(nowMs);
		List<String> expired = new ArrayList<>();
		// collect first, delete after: no writes while the iterator is open
		try (KeyValueIterator<String, ValueAndTimestamp<BatchProgress>> all = store.all()) {
			while (all.hasNext() && expired.size() < maxDeletesPerScan) {
				KeyValue<String, ValueAndTimestamp<BatchProgress>> entry = all.next();
				if (isExpired(entry.value, now)) {
					expired.add(entry.key);
				}
			}
		}
		expired.forEach(store::delete);
		if (!expired.isEmpty()) {
			logger.info("Deleted " + expired.size() + " batches older than " + retention);
		}
	}

	private boolean isExpired(ValueAndTimestamp<BatchProgress> entry, Instant now) {
		if (entry == null || entry.value() == null) {
			return false;
		}
		BatchProgress progress = entry.value();
		if (progress.submitted()) {
			return progress.expired(now, retention);
		}
		return !Instant.ofEpochMilli(entry.timestamp()).plus(retention).isAfter(now);
	}

}
