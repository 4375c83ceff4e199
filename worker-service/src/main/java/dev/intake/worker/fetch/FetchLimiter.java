package dev.intake.worker.fetch;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Bounds concurrent fetches: at most {@code maxTotal} per worker and {@code maxPerHost} to any
 * one host at a time. Waiting is bounded by a deadline; hosts with no fetch in progress are
 * forgotten, so the table does not grow with the number of hosts ever seen.
 */
final class FetchLimiter {

	private final int maxTotal;

	private final int maxPerHost;

	private final Map<String, Integer> perHost = new HashMap<>();

	private int total;

	FetchLimiter(int maxTotal, int maxPerHost) {
		if (maxTotal < 1 || maxPerHost < 1) {
			throw new IllegalArgumentException("fetch concurrency limits must be positive");
		}
		this.maxTotal = maxTotal;
		this.maxPerHost = maxPerHost;
	}

	/**
	 * Takes a slot for {@code host}, waiting until {@code deadlineNanos} (a {@link System#nanoTime()}).
	 * @return false if no slot became free in time
	 */
	synchronized boolean acquire(String host, long deadlineNanos) throws InterruptedException {
		while (total >= maxTotal || perHost.getOrDefault(host, 0) >= maxPerHost) {
			long left = deadlineNanos - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			TimeUnit.NANOSECONDS.timedWait(this, left);
		}
		total++;
		perHost.merge(host, 1, Integer::sum);
		return true;
	}

	synchronized void release(String host) {
		Integer held = perHost.get(host);
		if (held == null) {
			throw new IllegalStateException("no slot held for " + host);
		}
		if (held == 1) {
			perHost.remove(host);
		}
		else {
			perHost.put(host, held - 1);
		}
		total--;
		notifyAll();
	}

	synchronized int inUse() {
		return total;
	}

}
