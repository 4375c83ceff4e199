package dev.intake.worker.fetch;

/**
 * Why a URL was not fetched. {@link Kind#REFUSED}: the fetch policy forbids it (scheme, port,
 * host spelling, address). {@link Kind#FAILED}: the origin answered in a way that will not change
 * on retry (4xx, too many redirects, compressed body, unknown host). {@link Kind#TRANSIENT}: the
 * origin or the network may recover (5xx, 408, 429, timeouts, connection resets); worth a retry.
 * The message is a reason people can read, without the URL.
 */
public class FetchException extends Exception {

	/** The kind of failure; decides the item's code and whether a retry is worth it. */
	public enum Kind {

		REFUSED, FAILED, TRANSIENT

	}

	private final Kind kind;

	public FetchException(Kind kind, String reason) {
		this(kind, reason, null);
	}

	public FetchException(Kind kind, String reason, Throwable cause) {
		super(reason, cause);
		this.kind = kind;
	}

	public Kind kind() {
		return kind;
	}

}
