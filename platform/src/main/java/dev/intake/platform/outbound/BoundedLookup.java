package dev.intake.platform.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs host name lookups under a deadline. The system resolver cannot be interrupted, so a
 * lookup is made on a thread of its own and given up on when the deadline passes; at most
 * {@code maxLookups} run at once (a stuck resolver cannot pile up threads), and a lookup that
 * finds none free fails at once. Thread-safe.
 */
public final class BoundedLookup implements AutoCloseable {

	private final NameResolver resolver;

	private final Duration timeout;

	private final ThreadPoolExecutor threads;

	/**
	 * @param name names the lookup threads ({@code intake-<name>-dns-N})
	 * @param timeout longest one lookup may take
	 */
	public BoundedLookup(String name, NameResolver resolver, Duration timeout, int maxLookups) {
		this.resolver = resolver;
		this.timeout = timeout;
		AtomicInteger count = new AtomicInteger();
		this.threads = new ThreadPoolExecutor(0, maxLookups, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
			Thread t = new Thread(r, "intake-" + name + "-dns-" + count.incrementAndGet());
			t.setDaemon(true);
			return t;
		});
	}

	/**
	 * The addresses of {@code host}, waiting at most the lookup timeout and never past
	 * {@code deadline} (a {@link System#nanoTime()} value).
	 */
	public InetAddress[] resolve(String host, long deadline) throws LookupException {
		Future<InetAddress[]> lookup;
		try {
			lookup = threads.submit(() -> resolver.resolve(host));
		}
		catch (RejectedExecutionException ex) {
			throw new LookupException(false, "too many host name lookups were in progress", null);
		}
		long wait = Math.min(timeout.toNanos(), deadline - System.nanoTime());
		try {
			InetAddress[] addresses = lookup.get(Math.max(0, wait), TimeUnit.NANOSECONDS);
			if (addresses == null || addresses.length == 0) {
				throw new LookupException(true, "its host name could not be resolved", null);
			}
			return addresses;
		}
		catch (TimeoutException ex) {
			lookup.cancel(true);
			throw new LookupException(false,
					"its host name could not be resolved within " + seconds(Duration.ofNanos(Math.max(0, wait))), null);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof UnknownHostException) {
				throw new LookupException(true, "its host name could not be resolved", null);
			}
			throw new LookupException(false, "its host name lookup failed", ex.getCause());
		}
		catch (InterruptedException ex) {
			lookup.cancel(true);
			Thread.currentThread().interrupt();
			throw new LookupException(false, "the lookup was interrupted", ex);
		}
	}

	private static String seconds(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
	}

	@Override
	public void close() {
		threads.shutdownNow();
	}

}
