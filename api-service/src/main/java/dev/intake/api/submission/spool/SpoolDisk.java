package dev.intake.api.submission.spool;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The disk all part spools of this instance may take at once ({@code intake.archive.max-spool-size}):
 * archives waiting for their expansion and files waiting for an upload slot. A spool takes its share
 * before its file grows and gives it back when it is closed. Without a bound, clients sending
 * archives faster than they are expanded (every expanding thread busy, up to {@code max-queued}
 * archives waiting, each up to {@code intake.upload.max-part-size}), or files while every upload slot
 * is busy, could fill the disk; past it, the part fails as busy (503, retry later) instead.
 */
public final class SpoolDisk {

	private final long limit;

	private final AtomicLong taken = new AtomicLong();

	public SpoolDisk(long limit) {
		if (limit < 0) {
			throw new IllegalArgumentException("the spool disk limit must not be negative");
		}
		this.limit = limit;
	}

	/** Takes {@code bytes} of the limit; false, taking nothing, if they do not fit. */
	boolean take(long bytes) {
		long now;
		do {
			now = taken.get();
			if (bytes > limit - now) {
				return false;
			}
		}
		while (!taken.compareAndSet(now, now + bytes));
		return true;
	}

	void give(long bytes) {
		taken.addAndGet(-bytes);
	}

	/** Bytes taken by spools right now. */
	public long taken() {
		return taken.get();
	}

}
