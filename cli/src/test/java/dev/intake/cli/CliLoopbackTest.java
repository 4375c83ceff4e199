package dev.intake.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.intake.testsupport.LoopbackOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.intake.testsupport.LoopbackOrigin.answer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI as its own process against a server on 127.0.0.1 that answers as the API does, for what
 * the embedded default shows only by chance or never: a batch caught while its items are still in
 * progress, names and messages with terminal control characters in them, an upload held open
 * until it is interrupted.
 */
class CliLoopbackTest {

	static final String TOKEN = "loopback-token";

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

		CliProcess.Result before = CliProcess.run(work, none, "--url", api.url(""), "--token", "before", "status",
				"stored");
		CliProcess.Result after = CliProcess.run(work, none, "status", "stored", "--url", api.url(""), "--token",
				"after");
		CliProcess.Result both = CliProcess.run(work, none, "--url", "http://127.0.0.1:1", "--token", "outer", "status",
				"stored", "--url", api.url(""), "--token", "inner");
		CliProcess.Result mixed = CliProcess.run(work, Map.of("INTAKE_URL", api.url("")), "--token", "flag", "status",
				"stored");

		for (CliProcess.Result result : List.of(before, after, both, mixed)) {
			assertThat(result.exit()).as(result.toString()).isEqualTo(Exit.OK);
		}
		assertThat(api.requests).extracting(headers -> headers.getFirst("Authorization"))
			.containsExactly("Bearer before", "Bearer after", "Bearer inner", "Bearer flag");
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
