package dev.intake.status.content;

/** What a look-up of a content found out, before it becomes an HTTP response. */
sealed interface ContentAnswer {

	/** The content's entry, from the store of the instance that keeps it. */
	record Found(ContentEntry entry) implements ContentAnswer {
	}

	/** No upload of this content is stored (yet). */
	record NotFound() implements ContentAnswer {
	}

	/** Nobody can tell right now; retry shortly. */
	record Unavailable(String reason) implements ContentAnswer {
	}

	/** The answer of the instance that keeps the content, passed on as it came. */
	record Relayed(int status, String retryAfter, byte[] body) implements ContentAnswer {
	}

}
