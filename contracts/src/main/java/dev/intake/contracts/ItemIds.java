package dev.intake.contracts;

import java.util.Optional;

/** Item ids: unique within a tenant, stable for the life of the batch. */
public final class ItemIds {

	private ItemIds() {
	}

	/** The id of the item at {@code index} of a batch: {@code tenant/batchId/index}. */
	public static String of(BatchKey batch, int index) {
		return batch + "/" + index;
	}

	/** The batch and index an item id names, e.g. to fail the item of an unreadable job. */
	public static Optional<Located> parse(String itemId) {
		if (itemId == null) {
			return Optional.empty();
		}
		int last = itemId.lastIndexOf('/');
		if (last < 0) {
			return Optional.empty();
		}
		try {
			int index = Integer.parseInt(itemId.substring(last + 1));
			return (index < 0) ? Optional.empty()
					: Optional.of(new Located(BatchKey.parse(itemId.substring(0, last)), index));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	/** An item's place: its batch and its index in it. */
	public record Located(BatchKey batch, int index) {
	}

}
