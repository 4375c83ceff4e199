package dev.intake.status.lookup;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.intake.contracts.ApiResponse;
import dev.intake.status.progress.BatchProgress;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rendered status answers of finished batches, most recently asked first, within a byte
 * budget. A finished batch's answer does not change while its progress does not, and clients
 * poll it; rendering it again (the view of up to 300 items, then a few hundred KB of JSON) was
 * most of a look-up's work. An entry is used only for a progress equal to the one it was
 * rendered from, so a batch changed since (a retried item) is rendered anew. A budget of zero
 * keeps nothing.
 * <p>
 * Each answer carries a strong entity tag made from its bytes, so every instance tags the same
 * answer alike and a client (or the api-service) holding it is answered 304 without the bytes.
 */
final class FinishedAnswers {

	private final JsonMapper json;

	private final long budget;

	private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

	private long bytes;

	FinishedAnswers(JsonMapper json, long budget) {
		this.json = json;
		this.budget = budget;
	}

	/**
	 * The whole answer ({@code {"code":200,…,"data":…}}) of a finished batch as JSON bytes with
	 * its entity tag: remembered, or rendered from {@code view} and remembered when it fits a
	 * quarter of the budget.
	 */
	StatusAnswer.Rendered answer(String key, BatchProgress progress, Supplier<Object> view) {
		synchronized (this) {
			Entry entry = entries.get(key);
			if (entry != null && entry.progress.equals(progress)) {
				return entry.answer;
			}
		}
		byte[] rendered = json.writeValueAsBytes(ApiResponse.success(view.get()));
		StatusAnswer.Rendered answer = new StatusAnswer.Rendered(rendered, entityTag(rendered));
		if (rendered.length <= budget / 4) {
			remember(key, new Entry(progress, answer));
		}
		return answer;
	}

	/** A strong entity tag of {@code bytes}: 128 bits of their SHA-256, quoted. */
	static String entityTag(byte[] bytes) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
			return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + '"';
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java platform has SHA-256", ex);
		}
	}

	synchronized long size() {
		return bytes;
	}

	synchronized int count() {
		return entries.size();
	}

	private synchronized void remember(String key, Entry entry) {
		Entry previous = entries.put(key, entry);
		bytes += entry.size() - ((previous == null) ? 0 : previous.size());
		for (Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator(); bytes > budget
				&& eldest.hasNext();) {
			bytes -= eldest.next().getValue().size();
			eldest.remove();
		}
	}

	private record Entry(BatchProgress progress, StatusAnswer.Rendered answer) {

		long size() {
			return answer.json().length;
		}

	}

}
