package dev.intake.status.lookup;

import java.time.Duration;
import java.util.Optional;

import dev.intake.status.progress.BatchProgress;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Looks a batch up in this instance's store without ever reporting a committed batch as
 * missing. A miss is only believed once {@link StoreCatchUpCheck} shows the store has processed
 * everything committed to the key's partition when the miss was seen; until then the store is
 * asked again every poll interval, for at most the timeout, past which the answer is
 * "unavailable, retry" rather than "not found".
 */
public class ReadYourWritesLookup {

	private static final Log logger = LogFactory.getLog(ReadYourWritesLookup.class);

	private final BatchProgressStore store;

	private final StoreCatchUpCheck catchUp;

	private final Scheduler blocking;

	private final Duration timeout;

	private final Duration pollInterval;

	ReadYourWritesLookup(BatchProgressStore store, StoreCatchUpCheck catchUp, Scheduler blocking, Duration timeout,
			Duration pollInterval) {
		this.store = store;
		this.catchUp = catchUp;
		this.blocking = blocking;
		this.timeout = timeout;
		this.pollInterval = pollInterval;
	}

	/** The submitted batch under {@code key}, or empty when it certainly does not exist. */
	public Mono<Optional<BatchProgress>> find(String key, int partition) {
		return query(key, partition).flatMap(found -> believe(key, partition, found));
	}

	/**
	 * The same answer from a store read the caller already made: a hit as it is, a miss only once
	 * the store has caught up (saves a look-up that found its batch a hop to another thread).
	 */
	Mono<Optional<BatchProgress>> believe(String key, int partition, Optional<BatchProgress> firstRead) {
		return firstRead.isPresent() ? Mono.just(firstRead) : awaitCatchUp(key, partition);
	}

	private Mono<Optional<BatchProgress>> awaitCatchUp(String key, int partition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		// Anything the client saw acknowledged is below the end offset as of now.
		return catchUp.endOffset(partition)
			.flatMap(end -> poll(key, partition, end, deadline))
			// bounds slow offset look-ups too, which the deadline check alone would not
			.timeout(timeout.plus(pollInterval).plusSeconds(1),
					Mono.error(() -> new StatusUnavailableException("offset look-ups timed out")));
	}

	private Mono<Optional<BatchProgress>> poll(String key, int partition, long end, long deadline) {
		// Read the committed offset before the store: the store is written before the commit, so
		// a caught-up offset guarantees the query that follows sees the batch.
		return catchUp.processedOffset(partition).flatMap(processed -> query(key, partition).flatMap(found -> {
			if (found.isPresent() || processed >= end) {
				if (logger.isDebugEnabled()) {
					logger.debug("Read-your-writes on partition " + partition + " took "
							+ Duration.ofNanos(System.nanoTime() - deadline + timeout.toNanos()).toMillis() + " ms: "
							+ (found.isPresent() ? "found " + key : "genuine miss of " + key));
				}
				return Mono.just(found);
			}
			if (System.nanoTime() - deadline >= 0) {
				return Mono.error(new StatusUnavailableException("the store of partition " + partition
						+ " is behind (processed " + processed + ", written " + end + ")"));
			}
			return Mono.delay(pollInterval).then(Mono.defer(() -> poll(key, partition, end, deadline)));
		}));
	}

	private Mono<Optional<BatchProgress>> query(String key, int partition) {
		return Mono.fromCallable(() -> store.find(key, partition)).subscribeOn(blocking);
	}

}
