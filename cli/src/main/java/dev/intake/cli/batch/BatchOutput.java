package dev.intake.cli.batch;

import java.io.PrintWriter;

import dev.intake.cli.ApiClient;
import dev.intake.cli.BatchWatch;
import dev.intake.cli.Exit;
import dev.intake.cli.ProgressBar;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
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

	/** The command this is a mixin of: where it prints. */
	@Spec(Spec.Target.MIXEE)
	CommandSpec command;

	/** Follows the batch until every item is done, with a progress bar where one is wanted. */
	JsonNode awaitDone(ApiClient api, String batchId) {
		ProgressBar bar = new ProgressBar(command.commandLine().getErr(), ProgressBar.wanted(json, noProgress), batchId);
		return BatchWatch.awaitDone(api, batchId, bar);
	}

	/**
	 * Prints a batch's status data; the exit code is 5 while items are still to be done, else 1 when
	 * items failed, else 0.
	 */
	int report(JsonNode data) {
		if (json) {
			out().println(ApiClient.JSON.writeValueAsString(data));
		}
		else {
			BatchWatch.printResults(out(), data);
		}
		if (!BatchWatch.isDone(data)) {
			return Exit.UNFINISHED;
		}
		return data.path("failed_count").asLong() > 0 ? Exit.FAILED : Exit.OK;
	}

	/** The command's standard output (picocli's, so that a caller of the command line may take it). */
	PrintWriter out() {
		return command.commandLine().getOut();
	}

}
