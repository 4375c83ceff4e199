package dev.intake.platform.s3;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scheduler of every S3 client's API-call timeouts. The AWS SDK schedules a timeout task per
 * call and cancels it when the call ends; its own scheduler keeps a cancelled task queued until
 * the task's time would have come, so with the async client's 20-minute limit every call made in
 * the last 20 minutes stayed on the heap (hundreds of thousands at a few hundred calls a second).
 * This one removes a task when it is cancelled. Its daemon threads live as long as the process.
 */
final class S3Timeouts {

	private static final ScheduledThreadPoolExecutor SCHEDULER = create();

	private S3Timeouts() {
	}

	static ScheduledExecutorService scheduler() {
		return SCHEDULER;
	}

	/** Timeout tasks waiting: those of the calls in flight. */
	static int pending() {
		return SCHEDULER.getQueue().size();
	}

	private static ScheduledThreadPoolExecutor create() {
		AtomicInteger threads = new AtomicInteger();
		var scheduler = new ScheduledThreadPoolExecutor(2, task -> {
			Thread thread = new Thread(task, "s3-call-timeouts-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setRemoveOnCancelPolicy(true);
		return scheduler;
	}

}
