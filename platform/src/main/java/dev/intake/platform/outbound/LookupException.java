package dev.intake.platform.outbound;

/**
 * A host name lookup that did not give addresses: {@link #unresolvable()} when the name has none
 * (a failure for good), else the resolver was slow, busy or failing (worth another try later).
 */
public final class LookupException extends Exception {

	private final boolean unresolvable;

	LookupException(boolean unresolvable, String message, Throwable cause) {
		super(message, cause);
		this.unresolvable = unresolvable;
	}

	public boolean unresolvable() {
		return unresolvable;
	}

}
