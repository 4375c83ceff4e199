package dev.intake.api.submission.spool;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes all part spools of this instance may hold at once in one place, shared by them: one budget
 * for the heap ({@code intake.archive.max-spool-memory}), one for the disk
 * ({@code intake.archive.max-spool-size}). A spool takes its share before it keeps more and gives
 * it back as its reader takes the bytes or when it is closed.
 * <p>
 * Without them, clients sending archives faster than they are expanded (every expanding thread
 * busy, up to {@code max-queued} archives waiting, each up to {@code intake.upload.max-part-size}),
 * or files while every upload slot is busy, on as many connections as they like, could fill the
 * heap or the disk. Past the heap budget a spool writes to its file; past the disk budget the part
 * fails as busy (503, retry later).
 */
public final class SpoolBudget {

	private final long limit;

	private final AtomicLong taken = new AtomicLong();

	public SpoolBudget(long limit) {
		if (limit < 0) {
			throw new IllegalArgumentException("a spool budget must not be negative");
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
