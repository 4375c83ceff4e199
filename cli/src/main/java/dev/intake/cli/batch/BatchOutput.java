package dev.intake.cli.batch;

import dev.intake.cli.ApiClient;
import dev.intake.cli.BatchWatch;
import dev.intake.cli.Exit;
import dev.intake.cli.ProgressBar;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * The options of the commands that show one batch ({@code status}, {@code retry}): whether to
 * follow it to its end, and how to print what it came to.
 */
final class BatchOutput {

	@Option(names = "--watch", description = "follow the batch until every item is done")
	boolean watch;

	@Option(names = "--json", description = "print the answer as JSON (with --watch: the batch's final status)")
	boolean json;

	@Option(names = "--no-progress", description = "no progress bar, even on a terminal")
	boolean noProgress;

	/** Follows the batch until every item is done, with a progress bar where one is wanted. */
	JsonNode awaitDone(ApiClient api, String batchId) {
		return BatchWatch.awaitDone(api, batchId, new ProgressBar(System.err, ProgressBar.wanted(json, noProgress), batchId));
	}

	/**
	 * Prints a batch's status data; the exit code is 5 while items are still to be done, else 1 when
	 * items failed, else 0.
	 */
	int report(JsonNode data) {
		if (json) {
			System.out.println(ApiClient.JSON.writeValueAsString(data));
		}
		else {
			BatchWatch.printResults(System.out, data);
		}
		if (!BatchWatch.isDone(data)) {
			return Exit.UNFINISHED;
		}
		return data.path("failed_count").asLong() > 0 ? Exit.FAILED : Exit.OK;
	}

}
