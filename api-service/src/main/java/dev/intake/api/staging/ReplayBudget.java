package dev.intake.api.staging;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory for parts kept whole so that their upload can be retried: each part may keep up to
 * {@code partLimit} bytes, all parts of this instance together at most {@code total}. A part that
 * finds the budget used up is streamed to the store as it arrives (and not retried).
 */
final class ReplayBudget {

	private final long partLimit;

	private final long total;

	private long held;

	ReplayBudget(long partLimit, long total) {
		this.partLimit = partLimit;
		this.total = total;
	}

	/** What one part may keep: {@code partLimit} bytes if they fit the budget, else nothing. */
	Hold hold() {
		return new Hold(tryHold(this.partLimit) ? this.partLimit : 0);
	}

	private synchronized boolean tryHold(long bytes) {
		if (bytes <= 0 || this.held + bytes > this.total) {
			return false;
		}
		this.held += bytes;
		return true;
	}

	private synchronized void release(long bytes) {
		this.held -= bytes;
	}

	/** Bytes one part holds of the budget; given back in steps, never more than once. */
	final class Hold {

		private final AtomicLong bytes;

		private Hold(long bytes) {
			this.bytes = new AtomicLong(bytes);
		}

		/** Bytes held, at first: how much the part may keep (0: none). */
		long bytes() {
			return this.bytes.get();
		}

		/** Gives back all but {@code size} bytes. */
		void shrinkTo(long size) {
			long before = this.bytes.getAndUpdate(held -> Math.min(held, size));
			if (before > size) {
				ReplayBudget.this.release(before - size);
			}
		}

		void release() {
			long before = this.bytes.getAndSet(0);
			if (before > 0) {
				ReplayBudget.this.release(before);
			}
		}

	}

	/** Bytes held right now. */
	synchronized long held() {
		return this.held;
	}

}
