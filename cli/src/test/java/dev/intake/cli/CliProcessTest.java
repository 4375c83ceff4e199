package dev.intake.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import dev.intake.local.LocalIntake;
import dev.intake.local.LocalSettings;
import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The CLI against the embedded default (a real Kafka broker, S3Proxy and the three services)
 * started by this test: as a user runs it, its own process, where the process is what is tested
 * (the launcher's exit codes, a terminal or none, being killed); elsewhere the same command lines
 * in this JVM ({@link CliInProcess}), with the connection as flags.
 */
class CliProcessTest {

	static final String TOKEN = "cli-test-" + Long.toHexString(System.nanoTime());

	@TempDir
	static Path dataDir;

	static LocalIntake intake;

	static Map<String, String> env;

	/** {@link #env} as flags, for a command line run in this JVM. */
	static String[] connection;

	static final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path work;

	@BeforeAll
	static void startIntake() throws Exception {
		intake = startOnFreePorts();
		env = Map.of("INTAKE_URL", intake.settings().baseUrl(), "INTAKE_TOKEN", TOKEN);
		connection = new String[] { "--url", intake.settings().baseUrl(), "--token", TOKEN };
	}

	@AfterAll
	static void stopIntake() {
		if (intake != null) {
			intake.close();
		}
	}

	@Test
	void aFolderAndAZipAreUploadedAndSummarised() throws Exception {
		Path photos = folderOfThreeImages();
		Path zip = zipOfTwo(work.resolve("set.zip"));

		CliProcess.Result result = inProcess("upload", photos.toString(), zip.toString(), "--batch-id", "cli-folder");

		assertThat(result.exit()).as(result.toString()).isZero();
		assertThat(result.out()).contains("BATCH ID").contains("cli-folder");
		assertThat(result.out().lines().filter(line -> line.startsWith("TOTAL")).findFirst().orElseThrow())
			.matches("TOTAL\\s+4\\s+\\S+ \\S+\\s+5\\s+5\\s+0");
		assertThat(work.resolve(".intake-upload.json")).doesNotExist();
		JsonNode status = status("cli-folder");
		assertThat(status.path("total_count").asInt()).isEqualTo(5);
		assertThat(status.path("success_count").asInt()).isEqualTo(5);
	}

	@Test
	void jsonOutputIsOneDocumentWithEveryBatchAndItsResults() throws Exception {
		Path photos = folderOfThreeImages();
		Path zip = zipOfTwo(photos.resolve("set.zip"));

		CliProcess.Result result = inProcess("upload", photos.toString(), "--json", "--batch-size", "2", "--batch-id",
				"cli-json");

		assertThat(result.exit()).as(result.toString()).isZero();
		assertThat(result.err()).isEmpty();
		JsonNode summary = ApiClient.JSON.readTree(result.out());
		assertThat(summary.path("success_count").asInt()).isEqualTo(5);
		assertThat(summary.path("failed_count").asInt()).isZero();
		// a.png, b.jpg | set.zip (2 entries) | sub/c.gif: the ZIP's entries count toward the batch size
		assertThat(summary.path("batches")).hasSize(3);
		assertThat(summary.path("batches").findValuesAsString("batch_id")).containsExactly("cli-json-1", "cli-json-2",
				"cli-json-3");
		assertThat(summary.path("batches").findValuesAsString("state")).containsOnly("accepted");
		JsonNode zipBatch = summary.path("batches").get(1);
		assertThat(zipBatch.path("total_count").asInt()).isEqualTo(2);
		assertThat(zipBatch.path("results").get(0).path("archive").asString()).isEqualTo(zip.getFileName().toString());
		String url = summary.path("batches").get(0).path("results").get(0).path("image_url").asString();
		assertThat(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray())
			.body()).isEqualTo(Files.readAllBytes(photos.resolve("a.png")));
	}

	@Test
	void aBrokenFileMakesExitCode1AndIsNamedInTheSummary() throws Exception {
		Path photos = Files.createDirectories(work.resolve("photos"));
		Files.write(photos.resolve("good.png"), TestImages.unique().png(40, 30));
		byte[] jpeg = TestImages.unique().jpeg(200, 200);
		Files.write(photos.resolve("broken.jpg"), Arrays.copyOf(jpeg, jpeg.length / 3));

		CliProcess.Result result = inProcess("upload", photos.toString());

		assertThat(result.exit()).as(result.toString()).isEqualTo(Exit.FAILED);
		assertThat(result.out()).containsPattern("Failed: \\S+ #0 broken\\.jpg: .+ \\(CORRUPT_IMAGE\\)");
		assertThat(result.out().lines().filter(line -> line.startsWith("TOTAL")).findFirst().orElseThrow())
			.matches("TOTAL\\s+2\\s+\\S+ \\S+\\s+2\\s+1\\s+1");
	}

	@Test
	void anUploadKilledAfterItsFirstBatchResumesSkippingItAndReusingTheOtherKeys() throws Exception {
		Path photos = Files.createDirectories(work.resolve("photos"));
		List<byte[]> images = TestImages.noisyJpegs(6, 60_000, 20);
		for (int i = 0; i < images.size(); i++) {
			Files.write(photos.resolve("p" + i + ".jpg"), images.get(i));
		}
		Path state = work.resolve(".intake-upload.json");

		// about 120 KB per batch at 10 KB/s: the second batch takes 12 s to send after the first is accepted,
		// time enough to see the first accepted and kill the upload on a busy machine
		Process first = CliProcess.start(work, env, "upload", photos.toString(), "--batch-size", "2", "--batch-id",
				"cli-resume", "--limit-rate", "10k", "--no-progress");
		await().atMost(Duration.ofMinutes(2)).until(() -> firstBatchAccepted(state));
		first.destroyForcibly();
		assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
		JsonNode before = ApiClient.JSON.readTree(Files.readString(state)).path("uploads").values().iterator().next();
		assertThat(before.path("batches").get(1).path("accepted").asBoolean()).as("killed before batch 2 was accepted")
			.isFalse();
		List<String> keys = before.path("batches").findValuesAsString("idempotency_key");

		CliProcess.Result rerun = CliProcess.run(work, env, "upload", photos.toString(), "--batch-size", "2",
				"--batch-id", "cli-resume", "--json");

		assertThat(rerun.exit()).as(rerun.toString()).isZero();
		JsonNode summary = ApiClient.JSON.readTree(rerun.out());
		assertThat(summary.path("batches").findValuesAsString("state")).containsExactly("skipped", "accepted",
				"accepted");
		assertThat(summary.path("batches").findValuesAsString("idempotency_key")).isEqualTo(keys);
		assertThat(summary.path("success_count").asInt()).isEqualTo(6);
		for (int batch = 1; batch <= 3; batch++) {
			JsonNode status = status("cli-resume-" + batch);
			assertThat(status.path("total_count").asInt()).isEqualTo(2);
			assertThat(status.path("results").findValuesAsString("image_name")).hasSize(2);
		}
		assertThat(statusCode("cli-resume-4")).isEqualTo(404);
		assertThat(statusCode("cli-resume")).isEqualTo(404);
		assertThat(state).doesNotExist();
	}

	@Test
	void inAPseudoTerminalEachBatchShowsAProgressBar() throws Exception {
		assumeThat(Files.isExecutable(Path.of("/usr/bin/script")))
			.as("script (util-linux) runs the CLI in a pseudo-terminal")
			.isTrue();
		Path photos = folderOfThreeImages();
		String command = CliProcess.command(List.of("upload", photos.toString(), "--batch-size", "2"))
			.stream()
			.map(CliProcessTest::shellQuoted)
			.collect(Collectors.joining(" "));

		CliProcess.Result result = CliProcess
			.finish(CliProcess.builder(work, env, List.of("/usr/bin/script", "-qec", command, "/dev/null")));

		assertThat(result.exit()).as(result.toString()).isZero();
		assertThat(result.out()).contains("\rbatch 1/2 [").contains("\rbatch 2/2 [")
			.containsPattern("\\[#{30}\\] 100%  \\S+ \\S+/\\S+ \\S+ sent")
			.contains("2/2 items").contains("1/1 items")
			.contains("TOTAL");
	}

	@Test
	void withoutATerminalThereIsNoProgressBar() throws Exception {
		CliProcess.Result result = CliProcess.run(work, env, "upload", folderOfThreeImages().toString());

		assertThat(result.exit()).as(result.toString()).isZero();
		assertThat(result.out() + result.err()).doesNotContain("\r").doesNotContain("[#");
		assertThat(result.err()).contains("batch 1/1: 3 file(s)");
	}

	@Test
	void statusEventsAndRetryFollowABatch() throws Exception {
		CliProcess.Result upload = inProcess("upload", folderOfThreeImages().toString(), "--no-wait", "--json",
				"--batch-id", "cli-follow");
		assertThat(upload.exit()).as(upload.toString()).isZero();

		CliProcess.Result events = inProcess("events", "cli-follow");
		CliProcess.Result watched = inProcess("status", "cli-follow", "--watch", "--json");
		CliProcess.Result table = inProcess("status", "cli-follow");
		CliProcess.Result retry = inProcess("retry", "cli-follow");

		assertThat(events.exit()).as(events.toString()).isZero();
		assertThat(events.out().strip().lines().reduce((a, b) -> b).orElseThrow())
			.isEqualTo("TASK_SUCCEEDED: 3/3 processed, 3 ok, 0 failed");
		assertThat(watched.exit()).as(watched.toString()).isZero();
		assertThat(ApiClient.JSON.readTree(watched.out()).path("success_count").asInt()).isEqualTo(3);
		assertThat(table.out()).contains("INDEX").contains("SUCCEEDED").contains("/i/images/");
		assertThat(retry.exit()).isEqualTo(Exit.FAILED);
		assertThat(retry.err()).contains("code 1205");
	}

	@Test
	void exitCodesTellAuthUsageAndServerTroubleApart() throws Exception {
		CliProcess.Result wrongToken = CliProcess.run(work, Map.of("INTAKE_URL", intake.settings().baseUrl()),
				"status", "x", "--token", "not-the-token");
		CliProcess.Result noToken = CliProcess.run(work, Map.of(), "status", "x");
		CliProcess.Result unknown = CliProcess.run(work, env, "status", "never-submitted");
		CliProcess.Result down = CliProcess.run(work, env, "status", "x", "--url", "http://127.0.0.1:" + freePort());
		Path config = Files.writeString(work.resolve("intake.properties"),
				"url=" + intake.settings().baseUrl() + "\ntoken=" + TOKEN + "\n");
		CliProcess.Result fromConfig = CliProcess.run(work, Map.of("INTAKE_CONFIG", config.toString()), "status",
				"never-submitted");

		assertThat(wrongToken.exit()).as(wrongToken.toString()).isEqualTo(Exit.AUTH);
		assertThat(wrongToken.err()).contains("HTTP 401, code 1001");
		assertThat(noToken.exit()).isEqualTo(Exit.USAGE);
		assertThat(unknown.exit()).isEqualTo(Exit.FAILED);
		assertThat(unknown.err()).contains("Batch ID does not exist or has expired.");
		assertThat(down.exit()).as(down.toString()).isEqualTo(Exit.SERVER);
		assertThat(fromConfig.exit()).as("a config file's url and token are used").isEqualTo(Exit.FAILED);
		assertThat(fromConfig.err()).contains("code 1203");
	}

	/**
	 * {@code args} run in this JVM with the connection flags after them; an upload keeps its resume
	 * file in the test's work folder (a process's default is its working directory, which here is
	 * the work folder too).
	 */
	private CliProcess.Result inProcess(String... args) {
		List<String> line = new ArrayList<>(List.of(args));
		line.addAll(List.of(connection));
		if (args[0].equals("upload")) {
			line.addAll(List.of("--state", work.resolve(".intake-upload.json").toString()));
		}
		return CliInProcess.run(line.toArray(String[]::new));
	}

	private static boolean firstBatchAccepted(Path state) {
		try {
			JsonNode root = ApiClient.JSON.readTree(Files.readString(state));
			return root.path("uploads").values().iterator().next().path("batches").get(0).path("accepted").asBoolean();
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	private Path folderOfThreeImages() throws IOException {
		Path photos = Files.createDirectories(work.resolve("photos/sub"));
		Files.write(photos.resolveSibling("a.png"), TestImages.unique().png(64, 48));
		Files.write(photos.resolveSibling("b.jpg"), TestImages.unique().jpeg(64, 48));
		Files.write(photos.resolve("c.gif"), TestImages.unique().gif(64, 48));
		return photos.getParent();
	}

	private static Path zipOfTwo(Path file) throws IOException {
		try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
			for (String entry : new String[] { "set/front.png", "set/back.png" }) {
				zip.putNextEntry(new ZipEntry(entry));
				zip.write(TestImages.unique().png(60, 40));
				zip.closeEntry();
			}
		}
		return file;
	}

	private static JsonNode status(String batchId) throws Exception {
		HttpResponse<String> response = http.send(statusRequest(batchId), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return ApiClient.JSON.readTree(response.body()).path("data");
	}

	private static int statusCode(String batchId) throws Exception {
		return http.send(statusRequest(batchId), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private static HttpRequest statusRequest(String batchId) {
		return HttpRequest.newBuilder(URI.create(intake.settings().baseUrl() + "/batch-upload/status/" + batchId))
			.header("Authorization", "Bearer " + TOKEN)
			.build();
	}

	private static String shellQuoted(String arg) {
		return "'" + arg.replace("'", "'\\''") + "'";
	}

	/**
	 * The embedded default on ports found free; a port may be bound by another process before the
	 * stack binds it (likelier on a busy machine), so a start that failed on a port in use (having
	 * closed what it started) runs again on others in an emptied data directory, up to three times.
	 */
	private static LocalIntake startOnFreePorts() throws Exception {
		for (int attempt = 1;; attempt++) {
			// a Kafka controller that cannot bind its port halts the JVM (its fatal-fault handler)
			// before its start fails with the cause: while the stack starts, the start fails instead
			org.apache.kafka.common.utils.Exit.setHaltProcedure((status, message) -> {
			});
			try {
				return LocalIntake.start(new LocalSettings(dataDir, TOKEN, freePort(), freePort(), freePort(), freePort(),
						freePort(), freePort()));
			}
			catch (Exception ex) {
				if (attempt == 3 || !portInUse(ex)) {
					throw ex;
				}
				try (Stream<Path> paths = Files.walk(dataDir)) {
					for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
						if (!path.equals(dataDir)) {
							Files.delete(path);
						}
					}
				}
			}
			finally {
				org.apache.kafka.common.utils.Exit.resetHaltProcedure();
			}
		}
	}

	private static boolean portInUse(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String message = String.valueOf(cause.getMessage());
			if (cause instanceof BindException || cause.getClass().getSimpleName().equals("PortInUseException")
					|| message.contains("Address already in use") || message.contains("Failed to bind")) {
				return true;
			}
		}
		return false;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
