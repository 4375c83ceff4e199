package dev.intake.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.intake.testsupport.LoopbackOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import static dev.intake.testsupport.LoopbackOrigin.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The CLI as its own process against a server on 127.0.0.1 that answers as the API does, for what
 * the embedded default shows only by chance or never: a batch caught while its items are still in
 * progress, names and messages with terminal control characters in them, an upload held open
 * until it is interrupted.
 */
class CliLoopbackTest {

	static final String TOKEN = "loopback-token";

	static final Path KILL = Path.of("/bin/kill");

	/** A file name that turns a terminal's text red and rings its bell when printed as it is. */
	static final String EVIL_NAME = "evil\u001b[31mRED\u0007.pdf";

	/**
	 * What a terminal acts on or shows as something else: C0 controls but the line feed, DEL, C1
	 * controls, the line and paragraph separators and the bidi controls.
	 */
	static final Pattern UNPRINTABLE = Pattern
		.compile("[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]");

	@TempDir
	Path work;

	LoopbackOrigin api;

	Map<String, String> env;

	@BeforeEach
	void start() throws Exception {
		api = LoopbackOrigin.start();
		env = Map.of("INTAKE_URL", api.url(""), "INTAKE_TOKEN", TOKEN);
	}

	@AfterEach
	void stop() {
		api.close();
	}

	@Test
	void aBatchNotFinishedYetHasAnExitCodeOfItsOwnEvenWithItemsFailedSoFar() throws Exception {
		status("pending", "TASK_PENDING", 10, 0, 0, 0);
		status("processing", "TASK_PROCESSING", 10, 4, 3, 1);

		CliProcess.Result pending = CliProcess.run(work, env, "status", "pending");
		CliProcess.Result processing = CliProcess.run(work, env, "status", "processing");
		CliProcess.Result json = CliProcess.run(work, env, "status", "processing", "--json");

		assertThat(pending.exit()).as(pending.toString()).isEqualTo(Exit.UNFINISHED);
		assertThat(pending.out()).contains("TASK_PENDING: 0/10 processed");
		assertThat(processing.exit()).as(processing.toString()).isEqualTo(Exit.UNFINISHED);
		assertThat(json.exit()).as(json.toString()).isEqualTo(Exit.UNFINISHED);
		assertThat(ApiClient.JSON.readTree(json.out()).path("status").asString()).isEqualTo("TASK_PROCESSING");
	}

	@Test
	void aFinishedBatchIsExit0WhenEveryItemWasStoredAnd1WhenSomeFailed() throws Exception {
		status("stored", "TASK_SUCCEEDED", 3, 3, 3, 0);
		status("some-failed", "TASK_SUCCEEDED", 3, 3, 2, 1);

		CliProcess.Result stored = CliProcess.run(work, env, "status", "stored");
		CliProcess.Result someFailed = CliProcess.run(work, env, "status", "some-failed");

		assertThat(stored.exit()).as(stored.toString()).isEqualTo(Exit.OK);
		assertThat(someFailed.exit()).as(someFailed.toString()).isEqualTo(Exit.FAILED);
	}

	@Test
	void urlAndTokenWorkBeforeTheCommandAsWellAsAfterItAndAfterItWins() throws Exception {
		status("stored", "TASK_SUCCEEDED", 1, 1, 1, 0);
		Map<String, String> none = Map.of();

		// after the command alone, and the environment beside a flag, are ConnectionTest's
		CliProcess.Result before = CliProcess.run(work, none, "--url", api.url(""), "--token", "before", "status",
				"stored");
		CliProcess.Result both = CliProcess.run(work, none, "--url", "http://127.0.0.1:1", "--token", "outer", "status",
				"stored", "--url", api.url(""), "--token", "inner");

		for (CliProcess.Result result : List.of(before, both)) {
			assertThat(result.exit()).as(result.toString()).isEqualTo(Exit.OK);
		}
		assertThat(api.requests).extracting(headers -> headers.getFirst("Authorization"))
			.containsExactly("Bearer before", "Bearer inner");
	}

	@Test
	void anUploadRefusedWithItsNameEchoedPrintsNeitherTheNameNorTheMessageRaw() throws Exception {
		Path evil = Files.write(work.resolve(EVIL_NAME), new byte[] { 1, 2, 3 });
		String message = "The 1st file '" + EVIL_NAME + "' extension 'pdf' is not supported.\u202e\u2028\u009b2J";
		api.route("/v1/batch-upload/submit-with-files", exchange -> {
			exchange.getRequestBody().readAllBytes();
			answer(400, json("code", 1000, "message", message), "Content-Type", "application/json").handle(exchange);
		});

		CliProcess.Result text = CliProcess.run(work, utf8(env), "upload", evil.toString());
		CliProcess.Result json = CliProcess.run(work, utf8(env), "upload", evil.toString(), "--json");
		CliProcess.Result missing = CliProcess.run(work, utf8(env), "upload", work.resolve("gone" + EVIL_NAME).toString());

		assertThat(text.exit()).as(text.toString()).isEqualTo(Exit.FAILED);
		assertPrintable(text);
		assertThat(text.err()).contains("evil\uFFFD[31mRED\uFFFD.pdf").contains("not supported.\uFFFD\uFFFD\uFFFD2J");
		assertThat(text.out()).contains("evil\uFFFD[31mRED\uFFFD.pdf");
		assertThat(json.exit()).as(json.toString()).isEqualTo(Exit.FAILED);
		assertPrintable(json);
		assertThat(ApiClient.JSON.readTree(json.out()).path("batches").get(0).path("error").path("message").asString())
			.as("JSON escapes the characters, so a script reads the message as the server sent it")
			.isEqualTo(message);
		assertThat(missing.exit()).as(missing.toString()).isEqualTo(Exit.USAGE);
		assertPrintable(missing);
		assertThat(missing.err()).contains("goneevil\uFFFD[31mRED\uFFFD.pdf");
	}

	@Test
	void aBatchsNamesMessagesAndIdsFromTheServerArePrintedWithoutControlCharacters() throws Exception {
		ObjectNode data = ApiClient.JSON.createObjectNode()
			.put("batch_id", "hostile\u001b[2J")
			.put("total_count", 2)
			.put("processed_count", 2)
			.put("success_count", 1)
			.put("failed_count", 1)
			.put("status", "TASK_SUCCEEDED");
		data.putArray("results")
			.add(ApiClient.JSON.createObjectNode()
				.put("index", 0)
				.put("image_name", "fine\u202egnp.exe")
				.put("image_url", "http://127.0.0.1/i/a\u0007.png")
				.put("status", "TASK_SUCCEEDED"))
			.add(ApiClient.JSON.createObjectNode()
				.put("index", 1)
				.put("image_name", EVIL_NAME)
				.put("error_message", "Not\u2029an image\u007f\u0085")
				.put("error_code", "CORRUPT\u001b]0;title\u0007")
				.put("status", "TASK_FAILED"));
		api.route("/v1/batch-upload/status/hostile", answer(200,
				ApiClient.JSON.writeValueAsBytes(ApiClient.JSON.createObjectNode().put("code", 200).set("data", data)),
				"Content-Type", "application/json"));

		CliProcess.Result text = CliProcess.run(work, utf8(env), "status", "hostile");
		CliProcess.Result json = CliProcess.run(work, utf8(env), "status", "hostile", "--json");

		assertThat(text.exit()).as(text.toString()).isEqualTo(Exit.FAILED);
		assertPrintable(text);
		assertThat(text.out()).contains("hostile\uFFFD[2J")
			.contains("fine\uFFFDgnp.exe")
			.contains("evil\uFFFD[31mRED\uFFFD.pdf")
			.contains("Not\uFFFDan image\uFFFD\uFFFD (CORRUPT\uFFFD]0;title\uFFFD)");
		assertThat(json.exit()).as(json.toString()).isEqualTo(Exit.FAILED);
		assertPrintable(json);
		assertThat(ApiClient.JSON.readTree(json.out())).isEqualTo(data);
	}

	@Test
	void anUploadInterruptedByCtrlCSaysSoAndTheSameCommandResumesIt() throws Exception {
		assumeThat(Files.isExecutable(KILL)).as("kill sends the CLI a SIGINT, as Ctrl-C does").isTrue();
		Path photo = Files.write(work.resolve("photo.png"), new byte[] { 1, 2, 3 });
		CountDownLatch received = new CountDownLatch(1);
		CountDownLatch answer = new CountDownLatch(1);
		api.route("/v1/batch-upload/submit-with-files", exchange -> {
			exchange.getRequestBody().readAllBytes();
			received.countDown();
			try {
				answer.await(2, TimeUnit.MINUTES); // the first run is interrupted waiting for this answer
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			answer(200, json("code", 200, "message", "success", "data",
					Map.of("batch_id", "resumed", "total_count", 1, "status", "TASK_PENDING")))
				.handle(exchange);
		});
		status("resumed", "TASK_SUCCEEDED", 1, 1, 1, 0);
		String[] command = { "upload", photo.toString(), "--batch-id", "resumed", "--no-progress" };

		Path err = work.resolve("interrupted.err");
		Process first = CliProcess.builder(work, env, CliProcess.command(List.of(command)))
			.redirectOutput(work.resolve("interrupted.out").toFile())
			.redirectError(err.toFile())
			.start();
		try {
			assertThat(received.await(2, TimeUnit.MINUTES)).as("the first run sent its batch").isTrue();
			assumeThat(ignoresSigint(first.pid())).as("SIGINT is not ignored by the CLI's process").isFalse();
			assertThat(new ProcessBuilder(KILL.toString(), "-INT", String.valueOf(first.pid())).start().waitFor())
				.isZero();
			assertThat(first.waitFor(1, TimeUnit.MINUTES)).as("the CLI ends on SIGINT").isTrue();
		}
		finally {
			first.destroyForcibly();
			answer.countDown();
		}
		CliProcess.Result rerun = CliProcess.run(work, env, command);

		assertThat(first.exitValue()).isEqualTo(Exit.INTERRUPTED);
		assertThat(Files.readString(err).strip()).as("one line")
			.matches("intake: upload interrupted; run the same command again in the same folder to resume it .*")
			.doesNotContain("\n");
		assertThat(rerun.exit()).as(rerun.toString()).isEqualTo(Exit.OK);
		List<String> keys = api.requests.stream()
			.map(headers -> headers.getFirst("Idempotency-Key"))
			.filter(Objects::nonNull)
			.toList();
		assertThat(keys).as("the batch is sent again with the key recorded before the interruption").hasSize(2);
		assertThat(keys.get(1)).isEqualTo(keys.get(0));
		assertThat(work.resolve(".intake-upload.json")).doesNotExist();
	}

	/** Whether the process ignores SIGINT (inherited so from whatever started the tests), per Linux's /proc. */
	private static boolean ignoresSigint(long pid) throws IOException {
		Path status = Path.of("/proc", String.valueOf(pid), "status");
		if (!Files.exists(status)) {
			return false;
		}
		for (String line : Files.readAllLines(status)) {
			if (line.startsWith("SigIgn:")) {
				return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
			}
		}
		return false;
	}

	private static void assertPrintable(CliProcess.Result result) {
		assertThat(result.out()).as(result.toString()).doesNotContainPattern(UNPRINTABLE);
		assertThat(result.err()).as(result.toString()).doesNotContainPattern(UNPRINTABLE);
	}

	/**
	 * {@code env} with a UTF-8 locale, so that the CLI writes U+FFFD and the bidi controls as they
	 * are whatever the machine's locale (not as {@code ?}, which would hide a bidi control printed raw).
	 */
	private static Map<String, String> utf8(Map<String, String> env) {
		Map<String, String> utf8 = new HashMap<>(env);
		utf8.put("LC_ALL", "C.UTF-8");
		return utf8;
	}

	private static byte[] json(Object... pairs) {
		ObjectNode node = ApiClient.JSON.createObjectNode();
		for (int i = 0; i + 1 < pairs.length; i += 2) {
			node.putPOJO((String) pairs[i], pairs[i + 1]);
		}
		return ApiClient.JSON.writeValueAsBytes(node);
	}

	/** Answers {@code GET /v1/batch-upload/status/{batchId}} with these counts and no results. */
	private void status(String batchId, String state, int total, int processed, int ok, int failed) {
		String data = "{\"batch_id\":\"" + batchId + "\",\"total_count\":" + total + ",\"processed_count\":" + processed
				+ ",\"success_count\":" + ok + ",\"failed_count\":" + failed + ",\"status\":\"" + state
				+ "\",\"results\":[]}";
		api.route("/v1/batch-upload/status/" + batchId, answer(200,
				("{\"code\":200,\"message\":\"success\",\"data\":" + data + "}").getBytes(StandardCharsets.UTF_8),
				"Content-Type", "application/json"));
	}

}
