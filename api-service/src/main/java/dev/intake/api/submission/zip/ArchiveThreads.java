package dev.intake.api.submission.zip;

import java.nio.file.Path;

import dev.intake.api.submission.spool.PartSpool;
import dev.intake.api.submission.spool.PartSpools;
import dev.intake.api.submission.spool.SpoolBudget;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * The threads ZIP archives are expanded on (and how much of each archive's end is kept):
 * {@code max-concurrent} expanding threads (one per archive being read; up to {@code max-queued} more
 * archives wait their turn, their parts spooled meanwhile; past that the scheduler refuses them)
 * and as many threads reading entries into uploads. Two pools, so an expanding thread never waits
 * for its own. Also where each archive part waits for its thread: a {@link PartSpool} of
 * {@code spools}.
 */
public final class ArchiveThreads {

	private static final int READER_QUEUE = 10_000;

	private final Scheduler expanders;

	private final Scheduler readers;

	private final int centralDirectoryLimit;

	private final PartSpools spools;

	/**
	 * Archive parts spooled past {@link PartSpools#MEMORY_PER_PART} (64 MB of them in the heap) into
	 * the JVM's temporary directory, at most 1 GB of them at once.
	 */
	public ArchiveThreads(int maxConcurrent, int maxQueued, int centralDirectoryLimit) {
		this(maxConcurrent, maxQueued, centralDirectoryLimit,
				new PartSpools(PartSpools.MEMORY_PER_PART, new SpoolBudget(64L << 20),
						Path.of(System.getProperty("java.io.tmpdir")), new SpoolBudget(1L << 30)));
	}

	public ArchiveThreads(int maxConcurrent, int maxQueued, int centralDirectoryLimit, PartSpools spools) {
		this.centralDirectoryLimit = centralDirectoryLimit;
		this.spools = spools;
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

	/**
	 * A spool for one part of the request whose context is {@code context}: an archive waiting for its
	 * expansion, or a file waiting for an upload slot (they share the spools' heap and disk limits).
	 */
	public PartSpool spool(ContextView context) {
		return spools.open(context);
	}

	public void dispose() {
		expanders.dispose();
		readers.dispose();
	}

}
