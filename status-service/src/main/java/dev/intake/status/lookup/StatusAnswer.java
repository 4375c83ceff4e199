package dev.intake.status.lookup;

import org.springframework.http.HttpHeaders;

/** What a status look-up found out, before it becomes an HTTP response. */
public sealed interface StatusAnswer {

	/** The batch, from this instance's store, as the endpoint shows it (the answer's {@code data}). */
	record Found(Object batch) implements StatusAnswer {
	}

	/**
	 * The whole answer of a found batch, already rendered as JSON (a finished batch's answer,
	 * which does not change while its progress does not), and its strong entity tag, quoted.
	 */
	record Rendered(byte[] json, String etag) implements StatusAnswer {
	}

	/** No such batch for the tenant, and the store has seen every committed submission. */
	record NotFound() implements StatusAnswer {
	}

	/** Nobody can tell right now; retry shortly. */
	record Unavailable(String reason) implements StatusAnswer {
	}

	/** The answer of the instance that owns the batch, passed on as it came. */
	record Relayed(int status, HttpHeaders headers, byte[] body) implements StatusAnswer {
	}

}
