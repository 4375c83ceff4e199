package dev.intake.api.submission.zip;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The threads ZIP archives are expanded on (and how much of each archive's end is kept):
 * {@code max-concurrent} expanding threads (one per archive being read; up to {@code max-queued} more
 * archives wait their turn, their uploads held back meanwhile; past that the scheduler refuses them)
 * and as many threads reading entries into uploads. Two pools, so an expanding thread never waits
 * for its own.
 */
public final class ArchiveThreads {

	private static final int READER_QUEUE = 10_000;

	private final Scheduler expanders;

	private final Scheduler readers;

	private final int centralDirectoryLimit;

	public ArchiveThreads(int maxConcurrent, int maxQueued, int centralDirectoryLimit) {
		this.centralDirectoryLimit = centralDirectoryLimit;
		this.expanders = Schedulers.newBoundedElastic(maxConcurrent, maxQueued, "intake-zip");
		// one entry is read per expanding archive at a time, so the readers' queue stays short: its cap
		// only guards against a bug, and must never turn an entry away
		this.readers = Schedulers.newBoundedElastic(maxConcurrent, READER_QUEUE, "intake-zip-entry");
	}

	public Scheduler expanders() {
		return expanders;
	}

	public Scheduler readers() {
		return readers;
	}

	/** Bytes kept from the end of each archive to check its central directory. */
	public int centralDirectoryLimit() {
		return centralDirectoryLimit;
	}

	public void dispose() {
		expanders.dispose();
		readers.dispose();
	}

}
