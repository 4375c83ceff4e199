package dev.intake.api.limits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import dev.intake.api.auth.TestIssuer;
import dev.intake.api.publish.RecordingBatchPublisher;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request bodies that trickle in, never end or stop arriving, with a small body deadline, minimum
 * rate and read timeout (5 s): each is answered 408 in the API's shape, its connection closed, and
 * its tenant's only submission slot (batches-in-flight=1) is free again afterwards. The limits
 * apply to every request here: a small body sent at once must arrive within the grace (3 s) however
 * busy the machine. A trickle is cut by the rate only once the server has asked for its body for
 * the grace, which on a busy machine can be seconds after the request began: the deadline (12 s)
 * stays well beyond that.
 */
@ApiServiceTest
@TestPropertySource(properties = { "intake.limits.body-deadline=12s", "intake.limits.min-body-rate=1KB",
		"intake.limits.min-body-rate-grace=3s", "intake.limits.read-timeout=5s", "intake.limits.batches-in-flight=1" })
@ExtendWith(OutputCaptureExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowBodyTest {

	private static final String SUBMIT = "/v1/batch-upload/submit";

	private static final String SUBMIT_WITH_FILES = "/v1/batch-upload/submit-with-files";

	@LocalServerPort
	int port;

	@Autowired
	RecordingBatchPublisher publisher;

	WebTestClient client;

	@BeforeEach
	void setUp() {
		client = TestServers.client(port);
		publisher.reset();
	}

	@Test
	void cutsOffAChunkedJsonBodyTrickledByteByByte(CapturedOutput output) throws Exception {
		String token = tokenOf("trickle-json");
		String head = "POST " + SUBMIT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
				+ "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
		String answer = trickle(head, 100, 1, byteIndex -> "1\r\n \r\n");

		assertTimedOut(answer, "The request body arrived too slowly.");
		assertSlotFree(token);
		assertNoErrorLogged(output);
	}

	@Test
	void cutsOffAMultipartBodyTrickledByteByByte(CapturedOutput output) throws Exception {
		String token = tokenOf("trickle-multipart");
		String head = "POST " + SUBMIT_WITH_FILES + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
				+ "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n"
				+ "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n"
				+ "Content-Type: image/png\r\n\r\n";
		String answer = trickle(head, 100, 1, byteIndex -> "x");

		assertTimedOut(answer, "The request body arrived too slowly.");
		assertSlotFree(token);
		assertNoErrorLogged(output);
	}

	@Test
	void cutsOffAFileTrickledToASingleFileUploadInThatApisOwnShape() throws Exception {
		String token = tokenOf("trickle-single-file");
		Map<String, Function<String, String>> routes = new LinkedHashMap<>();
		routes.put("/attachment/upload file", message -> "{\"code\":-1,\"msg\":\"" + message + "\"}");
		routes.put("/api/images/ image", message -> "{\"detail\":\"" + message + "\"}");
		routes.put("/image_upload file", message -> "{\"success\":false,\"message\":\"" + message + "\"}");
		routes.put("/api_gateway/file-service/slow/a.png file",
				message -> "{\"code\":408,\"status\":\"false\",\"message\":\"" + message + "\"}");
		for (Map.Entry<String, Function<String, String>> route : routes.entrySet()) {
			String[] pathAndField = route.getKey().split(" ");
			String head = "POST " + pathAndField[0] + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
					+ "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n"
					+ "--b\r\nContent-Disposition: form-data; name=\"" + pathAndField[1] + "\"; filename=\"a.png\"\r\n"
					+ "Content-Type: image/png\r\n\r\n";
			String answer = trickle(head, 100, 1, byteIndex -> "x");

			// too slow, or (on a machine slow enough to miss the rate check) past the deadline: both 408
			assertThat(answer).as(pathAndField[0])
				.startsWith("HTTP/1.1 408 ")
				.containsIgnoringCase("connection: close")
				.endsWith(route.getValue().apply(answer.contains("too slowly") ? "The request body arrived too slowly."
						: "The request body was not complete within the time allowed for a request."));
		}
		assertThat(publisher.published()).isEmpty();
	}

	/**
	 * A file-service body that stops arriving is the client's doing: 408 in the service's shape, not
	 * 503 (a form's stall ends in the same mapping).
	 */
	@Test
	void aFileServiceBodyThatStopsArrivingIs408() throws Exception {
		String answer;
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(60_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /api_gateway/file-service/stalled/a.png HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
					+ tokenOf("stalled-file-service") + "\r\nContent-Type: image/png\r\nContent-Length: 27437\r\n\r\n"
					+ "x".repeat(500)).getBytes(StandardCharsets.US_ASCII));
			out.flush();
			answer = readToEnd(socket.getInputStream());
		}
		assertThat(answer).startsWith("HTTP/1.1 408 ")
			.endsWith("{\"code\":408,\"status\":\"false\",\"message\":\"The request body stopped arriving.\"}");
	}

	/**
	 * A JSON submit whose body stops inside a Base64 value, once the value is being staged: the
	 * read timeout is answered 408 as anywhere else in a body, although deleting what was staged
	 * takes a call to S3 (the connection is closed as the timeout is raised, so the answer cannot
	 * wait for it). Nothing is queued, nothing stays staged. Cut in a small value, and in one past
	 * the retry buffer (1 MB), whose upload to S3 has begun and is aborted.
	 */
	@ParameterizedTest
	@CsvSource({ "700, 900", "1200000, 1500000" })
	void aJsonBodyThatStopsInsideABase64ValueIs408(int size, int cut, CapturedOutput output) throws Exception {
		String tenant = "stalled-base64-" + cut;
		String token = tokenOf(tenant);
		byte[] body = ("{\"batch_id\":\"stalled-" + cut + "\",\"items\":[{\"type\":\"base64\",\"data\":\""
				+ Base64.getEncoder().encodeToString(TestServers.bytes(size, cut)) + "\"}]}")
			.getBytes(StandardCharsets.US_ASCII);
		String answer = stall(SUBMIT, token, "application/json", body, cut);

		assertTimedOut(answer, "The request body stopped arriving.");
		assertNothingQueuedOrKept(tenant);
		assertSlotFree(token);
		assertNoErrorLogged(output);
	}

	/** The same for a multipart submit whose body stops inside a file being staged. */
	@Test
	void aMultipartBodyThatStopsInsideAFileIs408(CapturedOutput output) throws Exception {
		String token = tokenOf("stalled-file");
		byte[] body = form("files", png(100_000));
		String answer = stall(SUBMIT_WITH_FILES, token, "multipart/form-data; boundary=b", body, body.length / 2);

		assertTimedOut(answer, "The request body stopped arriving.");
		assertNothingQueuedOrKept("stalled-file");
		assertSlotFree(token);
		assertNoErrorLogged(output);
	}

	/**
	 * The same for the single-file APIs, which share the answer's path: 408 in each one's own shape,
	 * nothing kept (one upload route and the file service, whose body reader is its own).
	 */
	@Test
	void aFileThatStopsArrivingAtASingleFileUploadIs408InThatApisOwnShape(CapturedOutput output) throws Exception {
		String token = tokenOf("stalled-single-file");
		Map<String, String> routes = new LinkedHashMap<>();
		String message = "The request body stopped arriving.";
		routes.put("/attachment/upload file", "{\"code\":-1,\"msg\":\"" + message + "\"}");
		routes.put("/api_gateway/file-service/stalled/a.png file",
				"{\"code\":408,\"status\":\"false\",\"message\":\"" + message + "\"}");
		for (Map.Entry<String, String> route : routes.entrySet()) {
			String[] pathAndField = route.getKey().split(" ");
			byte[] body = form(pathAndField[1], png(100_000));
			String answer = stall(pathAndField[0], token, "multipart/form-data; boundary=b", body, body.length / 2);

			assertThat(answer).as(pathAndField[0]).startsWith("HTTP/1.1 408 ").endsWith(route.getValue());
		}
		assertNothingQueuedOrKept("stalled-single-file");
		assertNoErrorLogged(output);
	}

	@Test
	void cutsOffABodyThatArrivesQuicklyEnoughButNeverEnds(CapturedOutput output) throws Exception {
		String token = tokenOf("endless");
		String head = "POST " + SUBMIT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
				+ "\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{\"items\": [";
		// 4 KB every 50 ms: far above the minimum rate, and endless
		String answer = trickle(head, 50, 4096, byteIndex -> " ".repeat(4096));

		assertTimedOut(answer, "The request body was not complete within the time allowed for a request.");
		assertSlotFree(token);
		assertNoErrorLogged(output);
	}

	@Test
	void aBodyThatArrivesInTimeIsServed() {
		client.post()
			.uri(SUBMIT)
			.header("Authorization", "Bearer " + tokenOf("in-time"))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"items\":[{\"type\":\"url\",\"url\":\"https://images.example.com/a.jpg\"}]}")
			.exchange()
			.expectStatus()
			.isOk();
	}

	/**
	 * Sends {@code head}, then one piece every {@code pauseMillis} until the server stops taking them;
	 * returns everything the server answered up to closing the connection.
	 */
	private String trickle(String head, long pauseMillis, int pieceSize,
			java.util.function.IntFunction<String> piece) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(60_000);
			OutputStream out = socket.getOutputStream();
			out.write(head.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			AtomicBoolean answered = new AtomicBoolean();
			Thread sender = new Thread(() -> {
				int sent = 0;
				try {
					while (!answered.get()) {
						out.write(piece.apply(sent).getBytes(StandardCharsets.US_ASCII));
						out.flush();
						sent += pieceSize;
						Thread.sleep(pauseMillis);
					}
				}
				catch (IOException | InterruptedException closed) {
					// the server closed the connection
				}
			});
			sender.setDaemon(true);
			sender.start();
			try {
				return readToEnd(socket.getInputStream());
			}
			finally {
				answered.set(true);
				sender.join();
			}
		}
	}

	/**
	 * Sends a request's head and the first {@code cut} bytes of its {@code body}, then nothing more;
	 * returns everything the server answered up to closing the connection.
	 */
	private String stall(String path, String token, String contentType, byte[] body, int cut) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(60_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
					+ "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(body, 0, cut);
			out.flush();
			return readToEnd(socket.getInputStream());
		}
	}

	/** A form (boundary {@code b}) of one PNG file part named {@code field}. */
	private static byte[] form(String field, byte[] file) throws IOException {
		ByteArrayOutputStream form = new ByteArrayOutputStream();
		form.write(("--b\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"a.png\"\r\n"
				+ "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		form.write(file);
		form.write("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
		return form.toByteArray();
	}

	/** {@code size} bytes that begin as a PNG does, so that every API takes them for an image. */
	private static byte[] png(int size) {
		byte[] bytes = TestServers.bytes(size, size);
		byte[] signature = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
		System.arraycopy(signature, 0, bytes, 0, signature.length);
		return bytes;
	}

	private static String readToEnd(InputStream in) throws IOException {
		ByteArrayOutputStream answer = new ByteArrayOutputStream();
		byte[] chunk = new byte[8192];
		try {
			int read;
			while ((read = in.read(chunk)) != -1) {
				answer.write(chunk, 0, read);
			}
		}
		catch (java.net.SocketException reset) {
			// closed with a reset after the answer: also cut off
		}
		return answer.toString(StandardCharsets.UTF_8);
	}

	private static void assertTimedOut(String answer, String message) {
		assertThat(answer).startsWith("HTTP/1.1 408 ");
		assertThat(answer).containsIgnoringCase("content-type: application/json");
		assertThat(answer).endsWith("{\"code\":1408,\"message\":\"" + message + "\"}");
	}

	private void assertSlotFree(String token) {
		// batches-in-flight=1: a submit of the same tenant is served only once the slot was given back
		Awaitility.await()
			.atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> client.post()
				.uri(SUBMIT)
				.header("Authorization", "Bearer " + token)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"items\":[{\"type\":\"url\",\"url\":\"https://images.example.com/a.jpg\"}]}")
				.exchange()
				.expectStatus()
				.isOk());
	}

	/** Nothing queued, and nothing of {@code tenant}'s left in the bucket once the cleanup has run. */
	private void assertNothingQueuedOrKept(String tenant) {
		assertThat(publisher.published()).isEmpty();
		Awaitility.await()
			.atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(TestServers.s3()
				.listObjectsV2Paginator(list -> list.bucket(TestServers.BUCKET))
				.contents()
				.stream()
				.map(S3Object::key)
				.filter(key -> key.contains("/" + tenant + "/"))).isEmpty());
	}

	static void assertNoErrorLogged(CapturedOutput output) {
		assertThat(output.getAll().lines().filter(line -> line.matches(".*\\bERROR\\b.*"))).isEmpty();
		assertThat(output.getAll()).doesNotContain("onErrorDropped").doesNotContain("Unexpected failure");
	}

	private static String tokenOf(String tenant) {
		return TestIssuer.hs256(TestIssuer.claims(claims -> claims.claim("tenant", tenant)));
	}

}
