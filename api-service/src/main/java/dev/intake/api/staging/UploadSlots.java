package dev.intake.api.staging;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

/**
 * A per-instance cap on files being staged at once, so memory stays bounded however many uploads
 * arrive: each staging file holds a slot, later ones wait (without blocking a thread) in arrival
 * order. A slot is released exactly once, whether its work ends, fails or is cancelled.
 * <p>
 * Files staged before anyone is authenticated (an API whose credential is a form field the client
 * may send after the file) hold a slot and also one of a smaller number of their own, so uploads
 * whose tenant is known always find the rest of the slots, however many anonymous ones arrive.
 * <p>
 * Also a budget of bytes held in memory by files read to their end whose upload is still
 * running: a request goes on reading its next file while earlier ones are still being stored
 * only while their bytes fit the budget.
 */
public final class UploadSlots {

	private final Object lock = new Object();

	private final Deque<Slot> waiting = new ArrayDeque<>();

	private final int capacity;

	private int free;

	private final long maxBuffered;

	private long buffered;

	/** The slots files staged before authentication also hold; null when they are not told apart. */
	private final UploadSlots unauthenticated;

	/** Slots only: every file is stored before the next is read. */
	public UploadSlots(int capacity) {
		this(capacity, 0);
	}

	/** Files staged before authentication are not told apart: they may take every slot. */
	public UploadSlots(int capacity, long maxBuffered) {
		this(capacity, maxBuffered, null);
	}

	/**
	 * @param maxUnauthenticated of the {@code capacity} slots, how many files staged before
	 * authentication may hold at once
	 */
	public UploadSlots(int capacity, long maxBuffered, int maxUnauthenticated) {
		this(capacity, maxBuffered, new UploadSlots(maxUnauthenticated, 0, null));
	}

	private UploadSlots(int capacity, long maxBuffered, UploadSlots unauthenticated) {
		if (capacity < 1) {
			throw new IllegalArgumentException("at least one upload slot is needed");
		}
		this.capacity = capacity;
		this.free = capacity;
		this.maxBuffered = maxBuffered;
		this.unauthenticated = unauthenticated;
	}

	/** Counts {@code bytes} against the buffer budget if they fit; {@link #releaseBuffered} them later. */
	boolean tryHoldBuffered(long bytes) {
		synchronized (this.lock) {
			if (this.buffered + bytes > this.maxBuffered) {
				return false;
			}
			this.buffered += bytes;
			return true;
		}
	}

	void releaseBuffered(long bytes) {
		synchronized (this.lock) {
			this.buffered -= bytes;
		}
	}

	/** Bytes held against the buffer budget right now. */
	long buffered() {
		synchronized (this.lock) {
			return this.buffered;
		}
	}

	/**
	 * A slot as soon as one is free, or nothing when none frees up within {@code timeout}.
	 * Cancelling the wait gives up the place in the queue.
	 */
	public Mono<Slot> acquire(Duration timeout) {
		return Mono.create(sink -> {
			Slot slot = new Slot(sink);
			sink.onCancel(slot::cancel);
			boolean granted;
			synchronized (this.lock) {
				granted = this.free > 0;
				if (granted) {
					this.free--;
				}
				else {
					this.waiting.add(slot);
				}
			}
			if (granted && !slot.grant()) {
				handOver(); // cancelled before it could be granted: pass the slot on
			}
			if (!granted) {
				Disposable timer = Schedulers.parallel()
					.schedule(slot::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
				sink.onDispose(timer);
			}
		});
	}

	/**
	 * A slot for a file staged before anyone is authenticated: as {@link #acquire}, but only while
	 * fewer such files than their own cap hold slots, within the same {@code timeout} overall.
	 * Releasing the slot gives up both.
	 */
	public Mono<Slot> acquireUnauthenticated(Duration timeout) {
		if (this.unauthenticated == null) {
			return acquire(timeout);
		}
		return Mono.defer(() -> {
			long deadline = System.nanoTime() + timeout.toNanos();
			return this.unauthenticated.acquire(timeout).flatMap(anonymous -> {
				Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
				return acquire(left).map(slot -> {
					slot.companion = anonymous;
					return slot;
				})
					.switchIfEmpty(Mono.fromRunnable(anonymous::release))
					.doOnCancel(anonymous::release)
					.doOnError(ex -> anonymous.release());
			});
		});
	}

	/** Slots held right now by files staged before authentication (counted in {@link #inUse()} too). */
	public int unauthenticatedInUse() {
		return (this.unauthenticated != null) ? this.unauthenticated.inUse() : 0;
	}

	/**
	 * A slot if one is free right now, else null; never waits (a slot is free only while no file
	 * waits for one, so this jumps no queue).
	 */
	public Slot tryAcquire() {
		synchronized (this.lock) {
			if (this.free == 0) {
				return null;
			}
			this.free--;
		}
		Slot slot = new Slot(null);
		slot.state.set(Slot.GRANTED);
		return slot;
	}

	/** Slots in use right now. */
	public int inUse() {
		synchronized (this.lock) {
			return this.capacity - this.free;
		}
	}

	private void handOver() {
		while (true) {
			Slot next;
			synchronized (this.lock) {
				next = this.waiting.poll();
				if (next == null) {
					this.free++;
					return;
				}
			}
			if (next.grant()) {
				return;
			}
		}
	}

	/** One staging slot; {@link #release()} it when the work is done. */
	public final class Slot {

		private static final int WAITING = 0;

		private static final int GRANTED = 1;

		private static final int RELEASED = 2;

		private static final int CANCELLED = 3;

		private final AtomicInteger state = new AtomicInteger(WAITING);

		/** The slot of the unauthenticated files' own cap this one holds too, if any. */
		private volatile Slot companion;

		/** Whom the slot is granted to; null for one granted at once ({@link #tryAcquire()}). */
		private final MonoSink<Slot> sink;

		private Slot(MonoSink<Slot> sink) {
			this.sink = sink;
		}

		private boolean grant() {
			if (!this.state.compareAndSet(WAITING, GRANTED)) {
				return false;
			}
			this.sink.success(this);
			return true;
		}

		private void expire() {
			if (this.state.compareAndSet(WAITING, CANCELLED)) {
				this.sink.success();
			}
		}

		private void cancel() {
			if (!this.state.compareAndSet(WAITING, CANCELLED)) {
				release();
			}
		}

		public void release() {
			if (this.state.compareAndSet(GRANTED, RELEASED)) {
				handOver();
			}
			Slot held = this.companion;
			if (held != null) {
				held.release();
			}
		}

	}

}
