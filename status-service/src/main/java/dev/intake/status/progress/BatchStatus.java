package dev.intake.status.progress;

/**
 * The overall status of a batch, with the bach.art batch-upload API's names. {@link #TASK_SUCCEEDED} means every item
 * is processed, whatever each item's outcome.
 */
public enum BatchStatus {

	/** No item is processed yet. */
	TASK_PENDING,
	/** Some items are processed, not all. */
	TASK_PROCESSING,
	/** All items are processed; each result says whether it succeeded. */
	TASK_SUCCEEDED

}
