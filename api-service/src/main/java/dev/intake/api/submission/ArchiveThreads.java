package dev.intake.api.submission;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The threads ZIP archives are expanded on (and how much of each archive's end is kept): {@code max-concurrent} expanding threads (one per
 * archive being read; more archives wait their turn, their uploads held back meanwhile) and as many
 * threads reading entries into uploads. Two pools, so an expanding thread never waits for its own.
 */
final class ArchiveThreads {

	private static final int QUEUE = 10_000;

	private final Scheduler expanders;

	private final Scheduler readers;

	private final int centralDirectoryLimit;

	ArchiveThreads(int maxConcurrent, int centralDirectoryLimit) {
		this.centralDirectoryLimit = centralDirectoryLimit;
		this.expanders = Schedulers.newBoundedElastic(maxConcurrent, QUEUE, "intake-zip");
		this.readers = Schedulers.newBoundedElastic(maxConcurrent, QUEUE, "intake-zip-entry");
	}

	Scheduler expanders() {
		return expanders;
	}

	Scheduler readers() {
		return readers;
	}

	/** Bytes kept from the end of each archive to check its central directory. */
	int centralDirectoryLimit() {
		return centralDirectoryLimit;
	}

	void dispose() {
		expanders.dispose();
		readers.dispose();
	}

}
