package dev.intake.cli;

import java.io.PrintWriter;

import tools.jackson.databind.JsonNode;

/**
 * Follows a batch until it is done ({@code TASK_SUCCEEDED}: every item stored or failed) by polling
 * its status, drawing processed/total on a progress bar, and prints a batch's results as a table.
 */
public final class BatchWatch {

	static final long POLL_MILLIS = 300;

	private BatchWatch() {
	}

	public static JsonNode awaitDone(ApiClient api, String batchId, ProgressBar bar) {
		while (true) {
			JsonNode data = api.status(batchId);
			long total = data.path("total_count").asLong();
			long processed = data.path("processed_count").asLong();
			String text = processed + "/" + total + " items (" + data.path("success_count").asLong() + " ok, "
					+ data.path("failed_count").asLong() + " failed)";
			if (isDone(data)) {
				bar.done(processed, total, text);
				return data;
			}
			bar.update(processed, total, text);
			try {
				Thread.sleep(POLL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new CliException(Exit.SERVER, "Interrupted", ex);
			}
		}
	}

	public static boolean isDone(JsonNode data) {
		return "TASK_SUCCEEDED".equals(data.path("status").asString());
	}

	/** A one-line summary of a status answer's counts. */
	public static String counts(JsonNode data) {
		return TerminalText.field(data, "status") + ": " + data.path("processed_count").asLong() + "/"
				+ data.path("total_count").asLong() + " processed, " + data.path("success_count").asLong() + " ok, "
				+ data.path("failed_count").asLong() + " failed";
	}

	/** Every item of a status answer: index, status, name and URL or error, each made safe to print. */
	public static void printResults(PrintWriter out, JsonNode data) {
		out.println("batch " + TerminalText.field(data, "batch_id") + "  " + counts(data));
		JsonNode results = data.path("results");
		if (!results.isArray() || results.isEmpty()) {
			return;
		}
		out.printf("%5s  %-9s  %-28s  %s%n", "INDEX", "STATUS", "NAME", "URL OR ERROR");
		for (JsonNode item : results) {
			String status = TerminalText.field(item, "status").replace("TASK_", "");
			String detail = item.hasNonNull("image_url") ? TerminalText.field(item, "image_url") : failure(item);
			out.printf("%5d  %-9s  %-28s  %s%n", item.path("index").asInt(), status, TerminalText.field(item, "image_name"),
					detail);
		}
	}

	/** A failed item's message and code, as {@code message (CODE)}, made safe to print. */
	public static String failure(JsonNode item) {
		return TerminalText.field(item, "error_message")
				+ (item.hasNonNull("error_code") ? " (" + TerminalText.field(item, "error_code") + ")" : "");
	}

}
