package dev.intake.worker.jobs;

import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.CancellationException;

import org.apache.kafka.common.errors.InterruptException;

/** Tells a worker being interrupted (shutdown, lost partition) from a failure of the job itself. */
final class Interruptions {

	private Interruptions() {
	}

	/**
	 * Whether the failure is an interruption of the worker rather than anything about the job:
	 * {@link InterruptedException}, an NIO channel closed by an interrupt, Kafka's
	 * {@link InterruptException}, or a cancelled wait ({@link CancellationException}, e.g. a
	 * decode {@code DecodePool} abandoned because the consumer thread was interrupted) while this
	 * thread is interrupted. A {@code CancellationException} on a thread nobody interrupted is a
	 * failure of the job's own code, so it is dead-lettered rather than redelivered forever.
	 * Socket timeouts, also {@code InterruptedIOException}s, are not interruptions.
	 */
	static boolean isInterruption(Throwable exception) {
		for (Throwable t = exception; t != null; t = t.getCause()) {
			if (t instanceof InterruptedException || t instanceof ClosedByInterruptException
					|| t instanceof InterruptException
					|| (t instanceof CancellationException && Thread.currentThread().isInterrupted())) {
				return true;
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return false;
	}

}
