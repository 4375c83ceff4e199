package dev.intake.status.query;

/**
 * The status of a batch cannot be told right now (Streams starting or rebalancing, the store
 * not caught up in time, the owning instance unreachable); the client should retry shortly.
 */
class StatusUnavailableException extends RuntimeException {

	StatusUnavailableException(String message) {
		super(message);
	}

	StatusUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
