package dev.intake.cli.batch;

import java.util.concurrent.Callable;

import dev.intake.cli.ApiClient;
import dev.intake.cli.Connection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code intake status ID [--watch]}: a batch's progress and results; exit 0 when every item was
 * stored, 1 when items failed, 5 while the batch is not finished (without {@code --watch}).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
		description = { "Show a batch's progress and its items' results.",
				"Exit code 0 when every item was stored, 1 when the finished batch has failed items,",
				"5 when the batch is not finished yet (items queued or processing; --watch waits)." })
public final class StatusCommand implements Callable<Integer> {

	@Mixin
	Connection connection;

	@Parameters(paramLabel = "ID", description = "the batch id")
	String batchId;

	@Mixin
	BatchOutput output;

	@Override
	public Integer call() {
		ApiClient api = connection.resolve().client();
		return output.report(output.watch ? output.awaitDone(api, batchId) : api.status(batchId));
	}

}
