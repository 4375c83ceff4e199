package dev.intake.cli.batch;

import java.util.concurrent.Callable;

import dev.intake.cli.ApiClient;
import dev.intake.cli.BatchWatch;
import dev.intake.cli.Connection;
import dev.intake.cli.Exit;
import dev.intake.cli.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code intake retry ID [--watch]}: runs a finished batch's retryable failed items again. */
@Command(name = "retry", mixinStandardHelpOptions = true,
		description = { "Run a finished batch's failed items again (those a retry can change).",
				"Exit code 1 when the server refuses (still processing: code 1204; nothing to retry: 1205)",
				"or, with --watch, when items still fail." })
public final class RetryCommand implements Callable<Integer> {

	@Mixin
	Connection connection;

	@Parameters(paramLabel = "ID", description = "the batch id")
	String batchId;

	@Option(names = "--watch", description = "follow the batch until the retried items are done")
	boolean watch;

	@Option(names = "--json", description = "print the answer's data (with --watch: the final status) as JSON")
	boolean json;

	@Option(names = "--no-progress", description = "no progress bar, even on a terminal")
	boolean noProgress;

	@Override
	public Integer call() {
		ApiClient api = connection.resolve().client();
		JsonNode answer = api.retry(batchId);
		if (!watch) {
			System.out.println(json ? ApiClient.JSON.writeValueAsString(answer)
					: "Retrying " + answer.path("retry_count").asLong() + " item(s) of batch " + batchId + " (round "
							+ answer.path("retry_round").asLong() + ")");
			return Exit.OK;
		}
		if (!json) {
			System.out.println("Retrying " + answer.path("retry_count").asLong() + " item(s) of batch " + batchId);
		}
		JsonNode data = BatchWatch.awaitDone(api, batchId,
				new ProgressBar(System.err, ProgressBar.wanted(json, noProgress), batchId));
		if (json) {
			System.out.println(ApiClient.JSON.writeValueAsString(data));
		}
		else {
			BatchWatch.printResults(System.out, data);
		}
		return data.path("failed_count").asLong() > 0 ? Exit.FAILED : Exit.OK;
	}

}
