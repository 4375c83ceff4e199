package dev.intake.cli.batch;

import java.util.concurrent.Callable;

import dev.intake.cli.ApiClient;
import dev.intake.cli.Connection;
import dev.intake.cli.Exit;
import dev.intake.cli.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

	@Mixin
	BatchOutput output;

	@Override
	public Integer call() {
		ApiClient api = connection.resolve().client();
		JsonNode answer = api.retry(batchId);
		if (!output.watch) {
			output.out().println(output.json ? ApiClient.JSON.writeValueAsString(answer)
					: "Retrying " + answer.path("retry_count").asLong() + " item(s) of batch " + TerminalText.of(batchId)
							+ " (round " + answer.path("retry_round").asLong() + ")");
			return Exit.OK;
		}
		if (!output.json) {
			output.out().println(
					"Retrying " + answer.path("retry_count").asLong() + " item(s) of batch " + TerminalText.of(batchId));
		}
		return output.report(output.awaitDone(api, batchId));
	}

}
