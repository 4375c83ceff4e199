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

/** {@code intake status ID [--watch]}: a batch's progress and results; exit 1 when items failed. */
@Command(name = "status", mixinStandardHelpOptions = true,
		description = { "Show a batch's progress and its items' results.",
				"Exit code 1 when the batch has failed items." })
public final class StatusCommand implements Callable<Integer> {

	@Mixin
	Connection connection;

	@Parameters(paramLabel = "ID", description = "the batch id")
	String batchId;

	@Option(names = "--watch", description = "follow the batch until every item is done")
	boolean watch;

	@Option(names = "--json", description = "print the status answer's data as JSON")
	boolean json;

	@Option(names = "--no-progress", description = "no progress bar, even on a terminal")
	boolean noProgress;

	@Override
	public Integer call() {
		ApiClient api = connection.resolve().client();
		JsonNode data = watch ? BatchWatch.awaitDone(api, batchId,
				new ProgressBar(System.err, ProgressBar.wanted(json, noProgress), batchId)) : api.status(batchId);
		if (json) {
			System.out.println(ApiClient.JSON.writeValueAsString(data));
		}
		else {
			BatchWatch.printResults(System.out, data);
		}
		return data.path("failed_count").asLong() > 0 ? Exit.FAILED : Exit.OK;
	}

}
