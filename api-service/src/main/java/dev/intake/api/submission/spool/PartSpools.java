package dev.intake.api.submission.spool;

import java.nio.file.Path;

import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Opens the {@link PartSpool}s of this instance, all within the same two budgets: at most
 * {@code memoryPerPart} bytes of each part and {@code heap} bytes of all of them in the heap, the
 * rest in files in {@code directory}, at most {@code disk} bytes of those at once.
 */
public final class PartSpools {

	/**
	 * Heap kept per part ahead of its reader: enough for the reader to take bytes from memory while
	 * it keeps up, small enough that the queued parts of a busy instance hold little.
	 */
	public static final long MEMORY_PER_PART = 256 * 1024;

	private final long memoryPerPart;

	private final SpoolBudget heap;

	private final Path directory;

	private final SpoolBudget disk;

	public PartSpools(long memoryPerPart, SpoolBudget heap, Path directory, SpoolBudget disk) {
		this.memoryPerPart = memoryPerPart;
		this.heap = heap;
		this.directory = directory;
		this.disk = disk;
	}

	/**
	 * A spool for one part of the request whose context is {@code context}: an archive waiting for
	 * its expansion, or a file waiting for an upload slot.
	 */
	public PartSpool open(ContextView context) {
		return new PartSpool(memoryPerPart, heap, directory, Context.of(context), disk);
	}

	/** Bytes the spools keep in the heap right now. */
	public long inHeap() {
		return heap.taken();
	}

	/** Bytes the spools keep on disk right now (the largest each file has grown). */
	public long onDisk() {
		return disk.taken();
	}

}
