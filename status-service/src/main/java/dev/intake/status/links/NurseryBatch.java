package dev.intake.status.links;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.intake.contracts.NurseryLink;

/**
 * The files linked to one batch of one nursery, in the order they were first linked: the value of
 * the {@link NurseryLinksTopology#STORE} store. A file is listed once; linking it again with
 * another type changes its type where it stands, with the same type changes nothing.
 */
record NurseryBatch(List<Linked> links) {

	static final NurseryBatch EMPTY = new NurseryBatch(List.of());

	NurseryBatch {
		links = (links != null) ? List.copyOf(links) : List.of();
	}

	/** One linked file as listed. */
	record Linked(long fileId, String fileName, String type, Instant uploadedAt, Instant linkedAt) {
	}

	/** This batch with {@code link} applied; this very batch when it changes nothing or the batch is full. */
	NurseryBatch with(NurseryLink link) {
		List<Linked> next = new ArrayList<>(links);
		for (int i = 0; i < next.size(); i++) {
			Linked linked = next.get(i);
			if (linked.fileId() == link.fileId()) {
				if (linked.type().equals(link.type())) {
					return this;
				}
				next.set(i, new Linked(linked.fileId(), linked.fileName(), link.type(), linked.uploadedAt(),
						linked.linkedAt()));
				return new NurseryBatch(next);
			}
		}
		if (links.size() >= NurseryLink.MAX_PER_BATCH) {
			return this;
		}
		next.add(new Linked(link.fileId(), link.fileName(), link.type(), link.uploadedAt(), link.linkedAt()));
		return new NurseryBatch(next);
	}

	boolean lists(long fileId) {
		return links.stream().anyMatch(linked -> linked.fileId() == fileId);
	}

	boolean isFull() {
		return links.size() >= NurseryLink.MAX_PER_BATCH;
	}

}
