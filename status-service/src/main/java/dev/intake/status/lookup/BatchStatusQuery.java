package dev.intake.status.lookup;

import java.util.Optional;
import java.util.function.Function;

import dev.intake.contracts.BatchKey;
import dev.intake.contracts.InternalApi;
import dev.intake.status.progress.BatchProgress;
import dev.intake.status.queue.JobQueue;
import dev.intake.status.view.BatchStatusView;
import dev.intake.status.view.ImageLinkProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Answers "what is the status of this batch" from whichever instance is asked: from the local
 * store when this instance owns the batch, otherwise by forwarding once to the owner. Never
 * reports a committed batch as missing (see {@link ReadYourWritesLookup}); when it cannot be
 * sure, it answers {@link StatusAnswer.Unavailable}. The status of an unfinished batch also says
 * where it waits in the job queue ({@link JobQueue}).
 */
public class BatchStatusQuery {

	private static final Log logger = LogFactory.getLog(BatchStatusQuery.class);

	private final BatchProgressStore store;

	private final ReadYourWritesLookup lookup;

	private final PeerForwarder forwarder;

	private final ImageLinkProperties links;

	/** Where the first store read runs: the caller's thread ({@code Schedulers.immediate()}) or a blocking one. */
	private final Scheduler firstReads;

	private final FinishedAnswers finished;

	private final JobQueue queue;

	BatchStatusQuery(BatchProgressStore store, ReadYourWritesLookup lookup, PeerForwarder forwarder,
			ImageLinkProperties links, Scheduler firstReads, JobQueue queue, FinishedAnswers finished) {
		this.queue = queue;
		this.finished = finished;
		this.store = store;
		this.lookup = lookup;
		this.forwarder = forwarder;
		this.links = links;
		this.firstReads = firstReads;
	}

	/**
	 * @param forwarded whether another instance forwarded this look-up here; it is then answered
	 * here or not at all
	 */
	public Mono<StatusAnswer> find(BatchKey key, boolean forwarded) {
		return findLater(key, forwarded, InternalApi.BATCH_STATUS, progress -> {
			if (progress.complete()) {
				return Mono.just(
						finished.answer(key.toString(), progress, () -> BatchStatusView.of(key.batchId(), progress, links)));
			}
			return view(key, progress).map(StatusAnswer.Found::new);
		});
	}

	/**
	 * The status view of a batch read from the store; an unfinished batch also says where it
	 * waits, when the job queue can tell in time.
	 */
	public Mono<BatchStatusView> view(BatchKey key, BatchProgress progress) {
		BatchStatusView view = BatchStatusView.of(key.batchId(), progress, links);
		if (progress.complete()) {
			return Mono.just(view);
		}
		return queue.position(key.toString(), progress.submittedAt(), progress.totalCount() - progress.processedCount())
			.map(position -> view.waiting(position.queuedAhead(), position.estimatedCompletion()))
			.defaultIfEmpty(view);
	}

	/**
	 * The same look-up for another view of the batch: {@code view} makes the answer's data from
	 * the local store; a look-up owned elsewhere is forwarded to {@code path} on the owner.
	 */
	public Mono<StatusAnswer> find(BatchKey key, boolean forwarded, String path, Function<BatchProgress, Object> view) {
		return findLater(key, forwarded, path, progress -> Mono.just(new StatusAnswer.Found(view.apply(progress))));
	}

	private Mono<StatusAnswer> findLater(BatchKey key, boolean forwarded, String path,
			Function<BatchProgress, Mono<StatusAnswer>> answer) {
		String storeKey = key.toString();
		// where the batch lives and, when here, the first read of it, in one call
		return Mono.fromCallable(() -> firstRead(storeKey)).subscribeOn(firstReads).flatMap(first -> {
			BatchProgressStore.BatchLocation location = first.location();
			if (location.local()) {
				return lookup.believe(storeKey, location.partition(), first.found())
					.flatMap(found -> found.map(answer)
						.orElseGet(() -> Mono.just(new StatusAnswer.NotFound())));
			}
			if (forwarded) {
				return Mono.just(new StatusAnswer.Unavailable("forwarded here, but owned by " + location.host()));
			}
			return forwarder.forward(location.host(), path, key);
		}).onErrorResume(StatusUnavailableException.class, ex -> {
			logger.debug("Status of " + storeKey + " unavailable: " + ex.getMessage());
			return Mono.just(new StatusAnswer.Unavailable(ex.getMessage()));
		});
	}

	private FirstRead firstRead(String storeKey) {
		BatchProgressStore.BatchLocation location = store.locate(storeKey);
		Optional<BatchProgress> found = location.local() ? store.find(storeKey, location.partition())
				: Optional.empty();
		return new FirstRead(location, found);
	}

	private record FirstRead(BatchProgressStore.BatchLocation location, Optional<BatchProgress> found) {
	}

}
