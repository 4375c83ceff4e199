package dev.intake.status.lookup;

/**
 * The status of a batch cannot be told right now (Streams starting or rebalancing, the store
 * not caught up in time, the owning instance unreachable); the client should retry shortly.
 */
public class StatusUnavailableException extends RuntimeException {

	public StatusUnavailableException(String message) {
		super(message);
	}

	public StatusUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
