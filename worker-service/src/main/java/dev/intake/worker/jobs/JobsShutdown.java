package dev.intake.worker.jobs;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Bounds a worker's shutdown. Stopped just before the jobs container (one phase above it), it
 * stops the listener taking new jobs (each delivered from then on is released unbegun), gives the
 * jobs in progress {@code intake.worker.jobs.shutdown-grace} to finish, then interrupts them: each is released to another worker (the listener tells an interruption from a failure)
 * and the container's stop, which waits for its consumer threads, can end. Without it a job that
 * never ends (a stuck origin, a held test decode) would hold the shutdown for ever.
 */
final class JobsShutdown implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(JobsShutdown.class);

	private final ImageJobListener listener;

	private final Duration grace;

	private final int phase;

	private volatile boolean running;

	JobsShutdown(ImageJobListener listener, Duration grace, int containerPhase) {
		this.listener = listener;
		this.grace = grace;
		this.phase = (containerPhase == Integer.MAX_VALUE) ? containerPhase : containerPhase + 1;
	}

	@Override
	public void start() {
		running = true;
	}

	@Override
	public void stop() {
		running = false;
		listener.stopTakingJobs();
		Thread timer = new Thread(() -> {
			try {
				Thread.sleep(grace.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			int interrupted = listener.interruptJobsInProgress();
			if (interrupted > 0) {
				logger.info("Interrupted " + interrupted + " job(s) still in progress after the shutdown grace of "
						+ grace + "; they are released to another worker");
			}
		}, "jobs-shutdown-grace");
		timer.setDaemon(true);
		timer.start();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return phase;
	}

}
