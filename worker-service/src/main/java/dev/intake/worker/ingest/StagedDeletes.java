package dev.intake.worker.ingest;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.intake.contracts.BlobRef;
import dev.intake.contracts.LogSafe;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * Deletes the staged uploads of finished items, as a group commit: {@link #delete} returns once
 * the object is deleted (so an item's job is committed only after its staged bytes are gone, and a
 * crash leaves nothing but what the job's redelivery deletes), but the deletes of items finishing
 * at the same time share one multi-object delete of up to {@value #MAX_KEYS} keys: one request is
 * sent at a time, and everything asked for meanwhile goes out together in the next. A busy worker
 * thus spends a fraction of a request per item, an idle one a request as before.
 * <p>
 * A delete never fails the item, whose result is already published. Keys storage did not delete
 * (unreachable, throttled, a per-key error) wait in memory and are tried again every
 * {@code retryInterval} on a daemon thread until storage answers, oldest first. At most
 * {@code maxPending} wait; beyond that, and for whatever a crash loses, the staging sweeper
 * removes the object once it is old enough.
 */
final class StagedDeletes implements AutoCloseable {

	/** Most keys S3 takes in one multi-object delete. */
	static final int MAX_KEYS = 1000;

	/** Longest a caller waits for its group's request before leaving the key to the retries. */
	private static final Duration MAX_WAIT = Duration.ofSeconds(60);

	private static final Log logger = LogFactory.getLog(StagedDeletes.class);

	private final S3Client s3;

	private final Duration retryInterval;

	private final int maxPending;

	private final Object lock = new Object();

	/** Deletes asked for and not yet sent, oldest first; guarded by {@link #lock}. */
	private final Deque<Request> asked = new ArrayDeque<>();

	/** Whether the sender is running; guarded by {@link #lock}. */
	private boolean sending;

	/** Deletes storage refused, waiting for the next retry, oldest first; guarded by {@link #lock}. */
	private final Deque<BlobRef> waiting = new ArrayDeque<>();

	/** Whether a retry is scheduled; guarded by {@link #lock}. */
	private boolean retryScheduled;

	private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "intake-staged-deletes");
		thread.setDaemon(true);
		return thread;
	});

	private record Request(BlobRef staged, CompletableFuture<Void> done) {
	}

	StagedDeletes(S3Client s3, Duration retryInterval, int maxPending) {
		this.s3 = s3;
		this.retryInterval = retryInterval;
		this.maxPending = maxPending;
	}

	/**
	 * Deletes the object, together with the deletes other threads ask for meanwhile; returns once
	 * it is deleted, or once storage refused and it waits for a retry.
	 */
	void delete(BlobRef staged) {
		Request request = new Request(staged, new CompletableFuture<>());
		boolean start;
		synchronized (lock) {
			asked.addLast(request);
			start = !sending;
			sending = true;
		}
		if (start) {
			try {
				sender.execute(this::send);
			}
			catch (RejectedExecutionException ex) {
				// closed: delete this one here, as its own request
				synchronized (lock) {
					asked.remove(request);
					sending = false;
				}
				if (!deleteAll(List.of(staged)).isEmpty()) {
					logger.warn("Staged object " + LogSafe.text(staged.key()) + " left to the staging sweeper");
				}
				return;
			}
		}
		try {
			request.done().get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// the sender sends it (or leaves it to the retries) all the same
			logger.warn("Staged object " + LogSafe.text(staged.key()) + " not deleted yet: " + ex);
		}
	}

	/** Staged objects whose delete storage refused, waiting for a retry. */
	int pending() {
		synchronized (lock) {
			return waiting.size();
		}
	}

	/** Sends what was asked for, a group at a time, until nothing is left. */
	private void send() {
		while (true) {
			List<Request> group = new ArrayList<>();
			synchronized (lock) {
				Request first = asked.peekFirst();
				if (first == null) {
					sending = false;
					return;
				}
				while (group.size() < MAX_KEYS && !asked.isEmpty()
						&& asked.peekFirst().staged().bucket().equals(first.staged().bucket())) {
					group.add(asked.pollFirst());
				}
			}
			List<BlobRef> left = deleteAll(group.stream().map(Request::staged).toList());
			if (!left.isEmpty()) {
				waitForRetry(left);
			}
			group.forEach(request -> request.done().complete(null));
		}
	}

	private void waitForRetry(List<BlobRef> refused) {
		synchronized (lock) {
			for (BlobRef staged : refused) {
				if (waiting.size() >= maxPending) {
					logger.warn("Staged object " + LogSafe.text(staged.key()) + " left to the staging sweeper: "
							+ maxPending + " deletes are already waiting");
					continue;
				}
				waiting.addLast(staged);
			}
			scheduleRetry();
		}
	}

	/** Guarded by {@link #lock}. */
	private void scheduleRetry() {
		if (retryScheduled || waiting.isEmpty()) {
			return;
		}
		try {
			sender.schedule(this::retry, retryInterval.toMillis(), TimeUnit.MILLISECONDS);
			retryScheduled = true;
		}
		catch (RejectedExecutionException ex) {
			// closed: the sweeper takes what is still waiting
		}
	}

	/** Tries the waiting deletes again, oldest first, until storage refuses again or none are left. */
	private void retry() {
		while (true) {
			List<BlobRef> group = new ArrayList<>();
			synchronized (lock) {
				retryScheduled = false;
				BlobRef first = waiting.peekFirst();
				if (first == null) {
					return;
				}
				while (group.size() < MAX_KEYS && !waiting.isEmpty()
						&& waiting.peekFirst().bucket().equals(first.bucket())) {
					group.add(waiting.pollFirst());
				}
			}
			List<BlobRef> left = deleteAll(group);
			if (!left.isEmpty()) {
				synchronized (lock) {
					for (int i = left.size() - 1; i >= 0; i--) {
						waiting.addFirst(left.get(i));
					}
					scheduleRetry();
				}
				return;
			}
		}
	}

	/** One multi-object delete of {@code group} (one bucket); returns the keys that are not deleted. */
	private List<BlobRef> deleteAll(List<BlobRef> group) {
		String bucket = group.get(0).bucket();
		List<ObjectIdentifier> keys = group.stream().map(ref -> ObjectIdentifier.builder().key(ref.key()).build()).toList();
		try {
			DeleteObjectsResponse response = s3
				.deleteObjects(request -> request.bucket(bucket).delete(delete -> delete.objects(keys).quiet(true)));
			if (!response.hasErrors() || response.errors().isEmpty()) {
				return List.of();
			}
			Set<String> failed = new HashSet<>();
			for (S3Error error : response.errors()) {
				failed.add(error.key());
			}
			logger.warn("Could not delete " + failed.size() + " staged objects yet: "
					+ LogSafe.text(response.errors().get(0).code()));
			return group.stream().filter(ref -> failed.contains(ref.key())).toList();
		}
		catch (SdkException ex) {
			logger.warn("Could not delete " + group.size() + " staged objects yet: " + ex.getMessage());
			return group;
		}
	}

	/** Stops the sender; whoever still waits is let go, and what was not deleted is left to the sweeper. */
	@Override
	public void close() {
		sender.shutdownNow();
		List<Request> unsent;
		synchronized (lock) {
			unsent = new ArrayList<>(asked);
			asked.clear();
		}
		unsent.forEach(request -> request.done().complete(null));
	}

}
