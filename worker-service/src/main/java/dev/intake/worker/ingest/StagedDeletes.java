package dev.intake.worker.ingest;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.intake.contracts.BlobRef;
import dev.intake.contracts.LogSafe;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Deletes the staged uploads of finished items. A delete that fails (storage unreachable,
 * throttled) never fails the item, whose result is already published: it waits in memory and is
 * tried again every {@code retryInterval} on a daemon thread until storage answers, oldest first.
 * At most {@code maxPending} wait; beyond that, and for whatever a crash loses, the staging sweeper
 * removes the object once it is old enough.
 */
final class StagedDeletes implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(StagedDeletes.class);

	private final S3Client s3;

	private final Duration retryInterval;

	private final int maxPending;

	private final Queue<BlobRef> pending = new ConcurrentLinkedQueue<>();

	private final AtomicInteger pendingCount = new AtomicInteger();

	private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "intake-staged-deletes");
		thread.setDaemon(true);
		return thread;
	});

	StagedDeletes(S3Client s3, Duration retryInterval, int maxPending) {
		this.s3 = s3;
		this.retryInterval = retryInterval;
		this.maxPending = maxPending;
	}

	/** Deletes the object now, or later if storage does not answer. */
	void delete(BlobRef staged) {
		if (tryDelete(staged)) {
			return;
		}
		if (pendingCount.incrementAndGet() > maxPending) {
			pendingCount.decrementAndGet();
			logger.warn("Staged object " + LogSafe.text(staged.key()) + " left to the staging sweeper: "
					+ maxPending + " deletes are already waiting");
			return;
		}
		pending.add(staged);
		retries.schedule(this::retryPending, retryInterval.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Staged objects whose delete is waiting for storage to answer. */
	int pending() {
		return pendingCount.get();
	}

	private void retryPending() {
		BlobRef next;
		while ((next = pending.peek()) != null) {
			if (!tryDelete(next)) {
				// storage still does not answer: try the rest later
				retries.schedule(this::retryPending, retryInterval.toMillis(), TimeUnit.MILLISECONDS);
				return;
			}
			if (pending.remove(next)) {
				pendingCount.decrementAndGet();
			}
		}
	}

	private boolean tryDelete(BlobRef staged) {
		try {
			s3.deleteObject(delete -> delete.bucket(staged.bucket()).key(staged.key()));
			return true;
		}
		catch (SdkException ex) {
			logger.warn("Could not delete staged object " + LogSafe.text(staged.key()) + " yet: " + ex.getMessage());
			return false;
		}
	}

	@Override
	public void close() {
		retries.shutdownNow();
	}

}
