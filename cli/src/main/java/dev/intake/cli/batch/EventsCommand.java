package dev.intake.cli.batch;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.intake.cli.ApiClient;
import dev.intake.cli.BatchWatch;
import dev.intake.cli.Connection;
import dev.intake.cli.Exit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code intake events ID}: tails the batch's Server-Sent Events, one line per status change, and
 * ends when the batch is done. {@code --json} prints each event's data as one JSON line.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
		description = { "Tail a batch's live progress (GET /v1/batch-upload/status/{id}/events)",
				"until every item is done. Exit code 1 when the batch has failed items." })
public final class EventsCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Mixin
	Connection connection;

	@Parameters(paramLabel = "ID", description = "the batch id")
	String batchId;

	@Option(names = "--json", description = "one JSON object per event (the event's data), one per line")
	boolean json;

	@Override
	public Integer call() {
		ApiClient api = connection.resolve().client();
		PrintWriter out = spec.commandLine().getOut();
		long[] failed = { 0 };
		api.events(batchId, data -> {
			out.println(json ? ApiClient.JSON.writeValueAsString(data) : BatchWatch.counts(data));
			out.flush();
			failed[0] = data.path("failed_count").asLong();
			return !BatchWatch.isDone(data);
		});
		return failed[0] > 0 ? Exit.FAILED : Exit.OK;
	}

}
