package dev.intake.status.progress;

/** Where one item of a batch stands. {@link #SUCCEEDED} and {@link #FAILED} are terminal. */
public enum ItemState {

	PENDING, SUCCEEDED, FAILED;

	public boolean terminal() {
		return this != PENDING;
	}

}
