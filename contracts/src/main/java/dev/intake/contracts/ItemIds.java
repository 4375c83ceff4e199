package dev.intake.contracts;

/** Item ids: unique within a tenant, stable for the life of the batch. */
public final class ItemIds {

	private ItemIds() {
	}

	/** The id of the item at {@code index} of a batch: {@code tenant/batchId/index}. */
	public static String of(BatchKey batch, int index) {
		return batch + "/" + index;
	}

}
