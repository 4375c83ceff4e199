package dev.intake.status.catalogue;

/**
 * The catalogue cannot tell right now (Streams starting or rebalancing, the store not caught up
 * in time, the owning instance unreachable); the caller should retry shortly.
 */
public class CatalogueUnavailableException extends RuntimeException {

	public CatalogueUnavailableException(String message) {
		super(message);
	}

	public CatalogueUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
