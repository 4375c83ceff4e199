package dev.intake.worker.imaging;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs every header read and decode with at most {@code slots} at once and a wall-clock deadline
 * on each, so a hostile image costs at most that long and never blocks a consumer (and its
 * partition) beyond it. The deadline counts from the moment the task has its slot, not while it
 * waits for one. On timeout the task's thread is interrupted, every stream and reader it registered
 * is closed or aborted, and its slot is given back at once: our own loops check
 * {@link #checkCancelled()} and stop, ImageIO readers stop at their next row or read; a thread
 * that still ignores all of that runs on outside the slots until it ends.
 */
public final class DecodePool implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(DecodePool.class);

	/** Work on one image; registers the streams (and reader aborts) a timeout must close. */
	@FunctionalInterface
	public interface Task<T> {

		T run(Consumer<Closeable> watch) throws UnreadableImageException;

	}

	private final ExecutorService threads;

	private final Semaphore slots;

	private final Duration timeout;

	public DecodePool(int slots, Duration timeout) {
		this(slots, timeout, Thread.NORM_PRIORITY);
	}

	/**
	 * @param priority the Java priority of the decode threads; below {@link Thread#NORM_PRIORITY}
	 * a busy core goes to request and I/O threads first (on Linux the JVM applies it only with
	 * {@code -XX:ThreadPriorityPolicy=1}: priority 1 is nice 4; otherwise it is ignored)
	 */
	public DecodePool(int slots, Duration timeout, int priority) {
		if (slots < 1 || timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("decode threads and timeout must be positive");
		}
		if (priority < Thread.MIN_PRIORITY || priority > Thread.MAX_PRIORITY) {
			throw new IllegalArgumentException("decode thread priority must be 1-10");
		}
		AtomicInteger count = new AtomicInteger();
		// threads are bounded by the slots, plus any abandoned task that has not ended yet
		this.threads = Executors.newCachedThreadPool(r -> {
			Thread t = new Thread(r, "intake-decode-" + count.incrementAndGet());
			t.setDaemon(true);
			t.setPriority(priority);
			return t;
		});
		this.slots = new Semaphore(slots, true);
		this.timeout = timeout;
	}

	public Duration timeout() {
		return timeout;
	}

	/**
	 * Stops a task that its pool gave up on: call it in every loop whose length the input
	 * decides. Outside the pool it never throws unless the thread is interrupted.
	 * @throws UnreadableImageException when the current thread was interrupted
	 */
	public static void checkCancelled() throws UnreadableImageException {
		if (Thread.currentThread().isInterrupted()) {
			throw new UnreadableImageException("cancelled: the decode deadline passed");
		}
	}

	/**
	 * Waits for a free slot, then runs {@code task} and waits for it, at most the deadline.
	 * @throws DecodeTimeoutException when the deadline passed
	 * @throws UnreadableImageException as thrown by the task
	 */
	public <T> T run(Task<T> task) throws UnreadableImageException {
		try {
			slots.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CancellationException("interrupted while waiting for a decode slot");
		}
		List<Closeable> watched = new CopyOnWriteArrayList<>();
		Future<T> future;
		try {
			future = threads.submit(() -> task.run(watched::add));
		}
		catch (RuntimeException ex) {
			slots.release();
			throw ex;
		}
		try {
			return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			abandon(future, watched);
			throw new DecodeTimeoutException(timeout);
		}
		catch (ExecutionException ex) {
			throw rethrow(ex.getCause());
		}
		catch (InterruptedException ex) {
			abandon(future, watched);
			Thread.currentThread().interrupt();
			throw new CancellationException("interrupted while waiting for a decode");
		}
		finally {
			slots.release();
		}
	}

	private static void abandon(Future<?> future, List<Closeable> watched) {
		future.cancel(true);
		watched.forEach(DecodePool::closeQuietly);
		logger.debug("Abandoned a decode past its deadline; " + watched.size() + " streams closed");
	}

	private static RuntimeException rethrow(Throwable cause) throws UnreadableImageException {
		if (cause instanceof UnreadableImageException unreadable) {
			throw unreadable;
		}
		if (cause instanceof RuntimeException runtime) {
			return runtime;
		}
		if (cause instanceof Error error) {
			throw error;
		}
		return new IllegalStateException(cause);
	}

	private static void closeQuietly(Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException | RuntimeException ex) {
			// the task is being abandoned anyway
		}
	}

	@Override
	public void close() {
		threads.shutdownNow();
	}

}
