package dev.intake.api.status;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The status answers of finished batches this api-service last relayed, with the status-service's
 * entity tag, most recently asked first, within a byte budget. They are never answered from here
 * alone: each look-up still asks the status-service, with {@code If-None-Match}, and only its 304
 * ("still this answer") lets the kept bytes go out, so a batch changed since (a retried item, an
 * expired batch) is never answered stale, from this or any other api-service instance. What it
 * saves is moving the answer (a few hundred KB for 300 items) from the status-service again.
 * A budget of zero keeps nothing.
 */
final class FinishedStatusAnswers {

	private final long budget;

	private final LinkedHashMap<String, Held> entries = new LinkedHashMap<>(16, 0.75f, true);

	private long bytes;

	FinishedStatusAnswers(long budget) {
		this.budget = budget;
	}

	/** The answer kept for {@code key}, or null. */
	synchronized Held get(String key) {
		return entries.get(key);
	}

	/** Keeps {@code body}, tagged {@code etag}, for {@code key} when it fits a quarter of the budget. */
	synchronized void remember(String key, String etag, byte[] body) {
		if (body.length > budget / 4) {
			forget(key);
			return;
		}
		Held previous = entries.put(key, new Held(etag, body));
		bytes += body.length - ((previous == null) ? 0 : previous.body.length);
		for (Iterator<Map.Entry<String, Held>> eldest = entries.entrySet().iterator(); bytes > budget
				&& eldest.hasNext();) {
			bytes -= eldest.next().getValue().body.length;
			eldest.remove();
		}
	}

	synchronized void forget(String key) {
		Held previous = entries.remove(key);
		if (previous != null) {
			bytes -= previous.body.length;
		}
	}

	synchronized long size() {
		return bytes;
	}

	synchronized int count() {
		return entries.size();
	}

	/** A kept answer: the status-service's strong entity tag and the JSON it tagged. */
	record Held(String etag, byte[] body) {
	}

}
