package dev.intake.status.live;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

import dev.intake.contracts.BatchKey;
import dev.intake.status.lookup.BatchProgressStore;
import dev.intake.status.lookup.BatchStatusQuery;
import dev.intake.status.lookup.StatusUnavailableException;
import dev.intake.status.progress.BatchProgress;
import dev.intake.status.progress.BatchStatus;
import dev.intake.status.view.BatchStatusView;
import dev.intake.status.view.ImageLinkProperties;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.http.codec.ServerSentEvent;

/**
 * The live progress of one batch owned by this instance, as Server-Sent Events: the current
 * state first, then one {@code status} event per change, a heartbeat comment while idle, and
 * the end after the event whose status is {@code TASK_SUCCEEDED}. The stream also ends when
 * the batch moves to another instance (rebalance) or after the longest stream life; the
 * client then reconnects and starts again from the current state.
 * <p>
 * The watch starts before the current state is read, so no change falls between the two.
 */
public class LiveBatchEvents {

	static final String EVENT = "status";

	private final BatchProgressStore store;

	private final BatchProgressChanges changes;

	private final ImageLinkProperties links;

	private final Scheduler blocking;

	private final LiveEventsProperties props;

	private final BatchStatusQuery query;

	LiveBatchEvents(BatchProgressStore store, BatchProgressChanges changes, ImageLinkProperties links,
			Scheduler blocking, LiveEventsProperties props, BatchStatusQuery query) {
		this.query = query;
		this.store = store;
		this.changes = changes;
		this.links = links;
		this.blocking = blocking;
		this.props = props;
	}

	/** Whether this instance has no room for another stream. */
	public boolean full() {
		return changes.full();
	}

	/** The events of a batch known to be in this instance's store, partition {@code partition}. */
	public Flux<ServerSentEvent<Object>> stream(BatchKey key, int partition) {
		Flux<ServerSentEvent<Object>> events = views(key, partition)
			.map(view -> ServerSentEvent.<Object>builder(view).event(EVENT).build());
		return events.publish(shared -> Flux.merge(shared, heartbeats(key).takeUntilOther(shared.ignoreElements())))
			.onErrorResume(BatchMovedException.class, ex -> Flux.empty())
			// the 200 is already sent: a stream that cannot go on (no capacity left after all, the
			// store moving mid-rebalance) ends, and the client reconnects and is answered afresh
			.onErrorResume(StatusUnavailableException.class, ex -> Flux.empty())
			.take(props.maxDuration());
	}

	private Flux<BatchStatusView> views(BatchKey key, int partition) {
		String storeKey = key.toString();
		return Flux.using(() -> changes.watch(storeKey), watch -> current(storeKey, partition)
			.flatMapMany(found -> found.map(first -> Flux.concat(Flux.just(first), newer(watch.updates(), first)))
				.orElseGet(Flux::empty)), BatchProgressChanges.Watch::close)
			.distinctUntilChanged(progress -> BatchStatusView.of(key.batchId(), progress, links))
			.transform(progress -> withWhereItWaits(progress, p -> query.view(key, p), props.heartbeat()))
			.takeUntil(view -> BatchStatus.TASK_SUCCEEDED.name().equals(view.status()));
	}

	/**
	 * The view of each state of a batch with where it waits, as the status look-up says it, and of
	 * the latest state again every {@code every} while it stays: the queue ahead of a waiting batch
	 * moves and its estimate comes and goes while none of its items changes, and a stream that sent
	 * only the first would show a stale estimate until the next item. Each state's own view is read
	 * to its end, one after another (a look-up of the queue that the next state cancelled would
	 * never fill its cache); only the re-reads give way to a newer state. A view is sent when it
	 * differs from the one before other than by an estimate within the same
	 * {@value #ESTIMATE_STEP_SECONDS}-second step.
	 */
	static <P> Flux<BatchStatusView> withWhereItWaits(Flux<P> states, Function<P, Mono<BatchStatusView>> view,
			Duration every) {
		return states
			.publish(shared -> Flux.merge(shared.concatMap(view),
					shared.switchMap(state -> Flux.interval(every, every)
						.onBackpressureDrop()
						.concatMap(tick -> view.apply(state), 1))))
			.distinctUntilChanged(LiveBatchEvents::roughly);
	}

	private static final long ESTIMATE_STEP_SECONDS = 10;

	/** The view with its estimate rounded down to {@value #ESTIMATE_STEP_SECONDS} s: what a change must move. */
	private static BatchStatusView roughly(BatchStatusView view) {
		Instant estimate = view.estimatedCompletion();
		if (estimate == null || view.queuedAhead() == null) {
			return view;
		}
		long seconds = Math.floorDiv(estimate.getEpochSecond(), ESTIMATE_STEP_SECONDS) * ESTIMATE_STEP_SECONDS;
		return view.waiting(view.queuedAhead(), Instant.ofEpochSecond(seconds));
	}

	private Mono<Optional<BatchProgress>> current(String storeKey, int partition) {
		return Mono.fromCallable(() -> store.find(storeKey, partition)).subscribeOn(blocking);
	}

	/** Updates not older than the state already sent (the feed replays its latest update). */
	private static Flux<BatchProgress> newer(Flux<BatchProgress> updates, BatchProgress first) {
		return updates.filter(update -> update.submitted() && update.processedCount() >= first.processedCount());
	}

	private Flux<ServerSentEvent<Object>> heartbeats(BatchKey key) {
		Duration every = props.heartbeat();
		return Flux.interval(every, every).concatMap(tick -> stillOwned(key)).map(owned -> {
			if (!owned) {
				throw new BatchMovedException();
			}
			return ServerSentEvent.<Object>builder().comment("heartbeat").build();
		});
	}

	private Mono<Boolean> stillOwned(BatchKey key) {
		return Mono.fromCallable(() -> store.locate(key.toString()).local())
			.subscribeOn(blocking)
			.onErrorReturn(StatusUnavailableException.class, false);
	}

	/** The batch is no longer owned here: end the stream so the client reconnects to the owner. */
	private static final class BatchMovedException extends RuntimeException {

		BatchMovedException() {
			super("batch moved to another instance", null, false, false);
		}

	}

}
