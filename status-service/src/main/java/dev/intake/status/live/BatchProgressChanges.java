package dev.intake.status.live;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.intake.status.lookup.StatusUnavailableException;
import dev.intake.status.progress.BatchProgress;
import dev.intake.status.progress.BatchProgressListener;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The updates of the batches someone is watching live, fed by the Streams thread. In memory and
 * per instance: only the batches of partitions this instance owns get updates here, so live
 * streams are served by the owner. Bounded: a feed exists only while watched and replays only
 * its latest update; a slow watcher skips to the latest update instead of queueing them; the
 * number of watchers is capped.
 */
class BatchProgressChanges implements BatchProgressListener {

	private final ConcurrentHashMap<String, Feed> feeds = new ConcurrentHashMap<>();

	private final AtomicInteger watchers = new AtomicInteger();

	private final int maxWatchers;

	BatchProgressChanges(int maxWatchers) {
		this.maxWatchers = maxWatchers;
	}

	@Override
	public void changed(String key, BatchProgress progress) {
		Feed feed = feeds.get(key);
		if (feed != null) {
			feed.publish(progress);
		}
	}

	/**
	 * Starts watching a batch: updates from now on reach the returned watch, which must be
	 * closed.
	 * @throws StatusUnavailableException when too many streams are open
	 */
	Watch watch(String key) {
		if (watchers.incrementAndGet() > maxWatchers) {
			watchers.decrementAndGet();
			throw new StatusUnavailableException("too many live streams (" + maxWatchers + ")");
		}
		Feed feed = feeds.compute(key, (k, existing) -> ((existing != null) ? existing : new Feed()).joined());
		return new Watch(key, feed);
	}

	/** Whether another watch would be refused; checked before a stream is answered with 200. */
	boolean full() {
		return watchers.get() >= maxWatchers;
	}

	/** Feeds currently kept (batches watched by someone). */
	int watchedBatches() {
		return feeds.size();
	}

	private void release(String key) {
		feeds.computeIfPresent(key, (k, feed) -> feed.left() ? null : feed);
		watchers.decrementAndGet();
	}

	/** One batch's updates; the watcher count is only changed inside the map's atomic compute. */
	private static final class Feed {

		private final Sinks.Many<BatchProgress> sink = Sinks.many().replay().latest();

		private int watchers;

		Feed joined() {
			watchers++;
			return this;
		}

		/** Whether the last watcher left. */
		boolean left() {
			return --watchers == 0;
		}

		// a batch's task may move between stream threads: serialise the emissions
		synchronized void publish(BatchProgress progress) {
			sink.tryEmitNext(progress);
		}

	}

	/** One watcher of one batch. */
	final class Watch implements AutoCloseable {

		private final String key;

		private final Feed feed;

		private final AtomicBoolean closed = new AtomicBoolean();

		private Watch(String key, Feed feed) {
			this.key = key;
			this.feed = feed;
		}

		/** The updates since the watch started (the latest one before subscribing included). */
		Flux<BatchProgress> updates() {
			return feed.sink.asFlux().onBackpressureLatest();
		}

		@Override
		public void close() {
			if (closed.compareAndSet(false, true)) {
				release(key);
			}
		}

	}

}
