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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs every header read and decode on a fixed, small set of threads with a wall-clock deadline,
 * so a hostile image costs at most that long and never blocks a consumer (and its partition)
 * beyond it. On timeout the task is interrupted and every stream it registered is closed, which
 * makes ImageIO readers that ignore interrupts fail on their next read.
 */
public final class DecodePool implements AutoCloseable {

	/** Work on one image; registers the streams it opens so a timeout can close them. */
	@FunctionalInterface
	public interface Task<T> {

		T run(Consumer<Closeable> watch) throws UnreadableImageException;

	}

	private final ExecutorService executor;

	private final Duration timeout;

	public DecodePool(int threads, Duration timeout) {
		if (threads < 1 || timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("decode threads and timeout must be positive");
		}
		AtomicInteger count = new AtomicInteger();
		this.executor = Executors.newFixedThreadPool(threads, r -> {
			Thread t = new Thread(r, "intake-decode-" + count.incrementAndGet());
			t.setDaemon(true);
			return t;
		});
		this.timeout = timeout;
	}

	public Duration timeout() {
		return timeout;
	}

	/**
	 * Runs {@code task} on the pool and waits for it, at most the deadline.
	 * @throws DecodeTimeoutException when the deadline passed
	 * @throws UnreadableImageException as thrown by the task
	 */
	public <T> T run(Task<T> task) throws UnreadableImageException {
		List<Closeable> watched = new CopyOnWriteArrayList<>();
		Future<T> future = executor.submit(() -> task.run(watched::add));
		try {
			return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			watched.forEach(DecodePool::closeQuietly);
			throw new DecodeTimeoutException(timeout);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof UnreadableImageException unreadable) {
				throw unreadable;
			}
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(cause);
		}
		catch (InterruptedException ex) {
			future.cancel(true);
			watched.forEach(DecodePool::closeQuietly);
			Thread.currentThread().interrupt();
			throw new CancellationException("interrupted while waiting for a decode");
		}
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
		executor.shutdownNow();
	}

}
