package dev.intake.cli.upload;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.intake.cli.ApiClient;
import dev.intake.cli.ApiException;
import dev.intake.cli.BatchWatch;
import dev.intake.cli.CliException;
import dev.intake.cli.Connection;
import dev.intake.cli.Exit;
import dev.intake.cli.ProgressBar;
import dev.intake.cli.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code intake upload PATH...}: files, folders and ZIPs in batches of at most 300 images, each
 * batch one streamed multipart submit with its own {@code Idempotency-Key}; then follows every
 * batch until its items are done and prints a summary. Interrupted, it resumes (see
 * {@link UploadState}).
 */
@Command(name = "upload", mixinStandardHelpOptions = true, sortOptions = false,
		description = { "Upload images, folders and ZIP archives in batches of at most 300 images.",
				"Folders are walked recursively for image and ZIP files. Waits until every item",
				"is stored or failed, then prints a summary.",
				"An interrupted upload resumes when the same command runs again in the same folder:",
				"batches already accepted are skipped, the others are sent with the same Idempotency-Key.",
				"Ctrl-C ends it with exit code 130 and a line saying so.",
				"Exit code 0 when every item was stored, 1 when some failed or a batch was refused." })
public final class UploadCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Mixin
	Connection connection;

	@Parameters(paramLabel = "PATH", arity = "1..*", description = "image files, folders and ZIP archives")
	List<Path> paths;

	@Option(names = "--batch-id", paramLabel = "ID",
			description = "the batch id; an upload of several batches uses ID-1, ID-2, ... (default: chosen by the server)")
	String batchId;

	@Option(names = "--names", split = ",", paramLabel = "NAME",
			description = "image names, one per file in the order the files are found (comma-separated or repeated)")
	List<String> names;

	@Option(names = "--batch-size", paramLabel = "N", defaultValue = "300",
			description = "images per batch, 1 to 300 (a ZIP counts its entries; default ${DEFAULT-VALUE})")
	int batchSize;

	@Option(names = "--no-wait", description = "return once every batch is accepted, without waiting for its items")
	boolean noWait;

	@Option(names = "--json", description = "print one JSON summary on standard output and nothing else")
	boolean json;

	@Option(names = "--no-progress", description = "no progress bars, even on a terminal")
	boolean noProgress;

	@Option(names = "--limit-rate", paramLabel = "RATE", converter = RateConverter.class, defaultValue = "0",
			description = "send at most RATE bytes per second (suffix k or m, e.g. 500k; default: no limit)")
	long limitRate;

	@Option(names = "--state", paramLabel = "FILE", defaultValue = ".intake-upload.json",
			description = "the resume file (default ${DEFAULT-VALUE} in the working directory)")
	Path stateFile;

	@Override
	public Integer call() throws IOException {
		Connection.Target target = connection.resolve();
		UploadPlan plan = UploadPlan.of(paths, names, batchId, batchSize);
		ApiClient api = target.client();
		UploadState state = UploadState.open(stateFile, plan.fingerprint(target.baseUrl()), plan.batches().size());
		boolean bars = ProgressBar.wanted(json, noProgress);
		PrintWriter info = json ? null : spec.commandLine().getErr();
		if (info != null) {
			if (!plan.skipped().isEmpty()) {
				info.println("Skipping " + plan.skipped().size() + " file(s) that are neither images nor ZIPs, e.g. "
						+ TerminalText.of(plan.skipped().get(0)));
			}
			if (state.resumed()) {
				info.println("Resuming an interrupted upload (" + TerminalText.of(stateFile) + ")");
			}
		}

		List<Outcome> outcomes;
		try (ResumeNotice notice = new ResumeNotice(stateFile, bars)) {
			outcomes = sendAndFollow(plan, api, state, bars, info);
			state.finish();
		}

		if (json) {
			spec.commandLine().getOut().println(ApiClient.JSON.writeValueAsString(toJson(outcomes)));
		}
		else {
			printSummary(spec.commandLine().getOut(), outcomes);
		}
		boolean failed = outcomes.stream()
			.anyMatch(o -> o.error != null || (o.status != null && o.status.path("failed_count").asLong() > 0));
		return failed ? Exit.FAILED : Exit.OK;
	}

	/** Sends the batches not accepted yet, then (without {@code --no-wait}) follows each accepted one to its end. */
	private List<Outcome> sendAndFollow(UploadPlan plan, ApiClient api, UploadState state, boolean bars,
			PrintWriter info) {
		int count = plan.batches().size();
		List<Outcome> outcomes = new ArrayList<>();
		for (UploadPlan.Batch batch : plan.batches()) {
			int index = batch.number() - 1;
			String label = "batch " + batch.number() + "/" + count;
			Outcome outcome = new Outcome(batch, state.idempotencyKey(index));
			outcomes.add(outcome);
			if (state.accepted(index)) {
				outcome.state = "skipped";
				outcome.batchId = state.batchId(index);
				outcome.totalCount = state.totalCount(index);
				if (info != null) {
					info.println(label + ": accepted earlier as " + TerminalText.of(outcome.batchId) + ", skipped");
				}
				continue;
			}
			MultipartBody body = new MultipartBody(batch);
			long length = body.length();
			ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), bars, label);
			try {
				JsonNode answer = api.submitWithFiles(
						body.publisher(sent -> bar.update(sent, length, sentText(sent, length)), limitRate),
						body.contentType(), outcome.idempotencyKey);
				outcome.state = "accepted";
				outcome.batchId = answer.path("batch_id").asString();
				outcome.totalCount = answer.path("total_count").asLong();
				state.accept(index, outcome.batchId, outcome.totalCount);
				bar.done(length, length, sentText(length, length) + "  " + outcome.batchId);
				if (info != null && !bars) {
					info.println(label + ": " + batch.parts().size() + " file(s), " + ProgressBar.bytes(length)
							+ " sent; batch " + TerminalText.of(outcome.batchId) + ", " + outcome.totalCount + " item(s)");
				}
			}
			catch (ApiException ex) {
				bar.done(0, length, "refused");
				if (ex.exitCode() != Exit.FAILED) {
					throw ex; // auth or server trouble: stop here, the resume file keeps the plan
				}
				outcome.state = "rejected";
				outcome.error = ex;
				if (info != null) {
					info.println(label + ": refused: " + ex.getMessage());
				}
			}
		}

		if (!noWait) {
			for (Outcome outcome : outcomes) {
				if (outcome.batchId != null) {
					outcome.status = BatchWatch.awaitDone(api, outcome.batchId, new ProgressBar(
							spec.commandLine().getErr(), bars, "batch " + outcome.batch.number() + "/" + count));
				}
			}
		}
		return outcomes;
	}

	private static String sentText(long sent, long length) {
		return ProgressBar.bytes(sent) + "/" + ProgressBar.bytes(length) + " sent";
	}

	static void printSummary(PrintWriter out, List<Outcome> outcomes) {
		out.printf("%-5s  %-26s  %5s  %9s  %5s  %5s  %6s  %s%n", "BATCH", "BATCH ID", "FILES", "SIZE", "ITEMS", "OK",
				"FAILED", "STATE");
		long items = 0;
		long ok = 0;
		long failed = 0;
		for (Outcome o : outcomes) {
			JsonNode s = o.status;
			out.printf("%-5d  %-26s  %5d  %9s  %5s  %5s  %6s  %s%n", o.batch.number(),
					o.batchId == null ? "-" : TerminalText.of(o.batchId),
					o.batch.parts().size(), ProgressBar.bytes(o.batch.bytes()), o.batchId == null ? "-" : o.totalCount,
					s == null ? "-" : s.path("success_count").asLong(), s == null ? "-" : s.path("failed_count").asLong(),
					o.state);
			items += o.totalCount;
			if (s != null) {
				ok += s.path("success_count").asLong();
				failed += s.path("failed_count").asLong();
			}
		}
		out.printf("%-5s  %-26s  %5d  %9s  %5d  %5d  %6d%n", "TOTAL", "",
				outcomes.stream().mapToInt(o -> o.batch.parts().size()).sum(),
				ProgressBar.bytes(outcomes.stream().mapToLong(o -> o.batch.bytes()).sum()), items, ok, failed);
		for (Outcome o : outcomes) {
			if (o.error != null) {
				out.println("Batch " + o.batch.number() + " refused: " + o.error.getMessage());
			}
			if (o.status != null) {
				for (JsonNode item : o.status.path("results")) {
					if ("TASK_FAILED".equals(item.path("status").asString())) {
						out.println("Failed: " + TerminalText.of(o.batchId) + " #" + item.path("index").asInt() + " "
								+ TerminalText.field(item, "image_name") + ": " + BatchWatch.failure(item));
					}
				}
			}
		}
	}

	static ObjectNode toJson(List<Outcome> outcomes) {
		ObjectNode root = ApiClient.JSON.createObjectNode();
		ArrayNode batches = root.putArray("batches");
		long items = 0;
		long ok = 0;
		long failed = 0;
		for (Outcome o : outcomes) {
			ObjectNode b = batches.addObject();
			b.put("batch", o.batch.number());
			b.put("batch_id", o.batchId);
			b.put("idempotency_key", o.idempotencyKey);
			b.put("state", o.state);
			b.put("files", o.batch.parts().size());
			b.put("bytes", o.batch.bytes());
			b.put("total_count", o.totalCount);
			items += o.totalCount;
			if (o.error != null) {
				b.putObject("error")
					.put("http_status", o.error.httpStatus())
					.put("code", o.error.code())
					.put("message", o.error.serverMessage());
			}
			if (o.status != null) {
				b.put("status", o.status.path("status").asString());
				b.put("success_count", o.status.path("success_count").asLong());
				b.put("failed_count", o.status.path("failed_count").asLong());
				b.set("results", o.status.path("results"));
				ok += o.status.path("success_count").asLong();
				failed += o.status.path("failed_count").asLong();
			}
		}
		root.put("total_count", items);
		root.put("success_count", ok);
		root.put("failed_count", failed);
		root.put("refused_batches", outcomes.stream().filter(o -> o.error != null).count());
		return root;
	}

	/** What became of one batch of the plan. */
	static final class Outcome {

		final UploadPlan.Batch batch;

		final String idempotencyKey;

		String state = "pending";

		String batchId;

		long totalCount;

		ApiException error;

		JsonNode status;

		Outcome(UploadPlan.Batch batch, String idempotencyKey) {
			this.batch = batch;
			this.idempotencyKey = idempotencyKey;
		}

	}

	/**
	 * Tells a user who pressed Ctrl-C, or whose SIGTERM ended the CLI, that running the same
	 * command again resumes the upload; without it the CLI ended silently with 130. The JVM ends on
	 * the signal without returning from the command, so a shutdown hook is the one place that runs.
	 * Installed only while the resume file holds this upload (from before the first byte is sent
	 * until the upload ran to its end), the whole time for which that is true.
	 */
	static final class ResumeNotice implements AutoCloseable {

		private final Thread hook;

		ResumeNotice(Path stateFile, boolean bars) {
			// a progress bar's line has no line end yet
			String line = (bars ? "\n" : "") + "intake: upload interrupted; run the same command again in the same folder "
					+ "to resume it (accepted batches are skipped; state in " + TerminalText.of(stateFile) + ")";
			this.hook = new Thread(() -> {
				System.err.println(line);
				System.err.flush();
			}, "intake-resume-notice");
			Runtime.getRuntime().addShutdownHook(hook);
		}

		@Override
		public void close() {
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			}
			catch (IllegalStateException ex) {
				// the JVM is shutting down already (interrupted just now): the notice is being printed
			}
		}

	}

	/** {@code 500}, {@code 500k}, {@code 2m}: bytes per second. */
	static final class RateConverter implements ITypeConverter<Long> {

		@Override
		public Long convert(String value) {
			String text = value.strip().toLowerCase(Locale.ROOT);
			long factor = 1;
			if (text.endsWith("k")) {
				factor = 1024;
				text = text.substring(0, text.length() - 1);
			}
			else if (text.endsWith("m")) {
				factor = 1024 * 1024;
				text = text.substring(0, text.length() - 1);
			}
			long rate = Long.parseLong(text) * factor;
			if (rate < 0) {
				throw new CliException(Exit.USAGE, "--limit-rate must not be negative");
			}
			return rate;
		}

	}

}
