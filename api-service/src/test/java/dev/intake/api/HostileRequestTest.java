package dev.intake.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.intake.api.error.ApiProblem;
import dev.intake.api.publish.RecordingBatchPublisher;
import dev.intake.contracts.ItemSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.intake.api.TestServers.staged;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed requests sent as raw bytes, as a hostile client would: each is a 400 (or 404) in the
 * API's {@code {code, message}} shape, queues nothing, stages nothing, and logs no ERROR line.
 */
@ApiServiceTest
@ExtendWith(OutputCaptureExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileRequestTest {

	private static final String SUBMIT = "/v1/batch-upload/submit";

	private static final String SUBMIT_WITH_FILES = "/v1/batch-upload/submit-with-files";

	private static final String PNG_PART = "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n"
			+ "Content-Type: image/png\r\n\r\npng-bytes\r\n";

	@LocalServerPort
	int port;

	@Autowired
	RecordingBatchPublisher publisher;

	@BeforeEach
	void setUp() {
		publisher.reset();
		TestServers.deleteStaged();
	}

	@Test
	void refusesAPartWithoutAName(CapturedOutput output) throws Exception {
		String body = PNG_PART + "--b\r\nContent-Disposition: form-data; filename=\"b.png\"\r\n"
				+ "Content-Type: image/png\r\n\r\npng\r\n--b--\r\n";
		assertRefused(multipart(body), 400, 1000,
				"The 2nd part has no name; its Content-Disposition header must be form-data with a name.");
		assertNothingQueuedOrLogged(output);
	}

	@Test
	void refusesAPartWithoutHeaders(CapturedOutput output) throws Exception {
		String body = "--b\r\n\r\nanything\r\n" + PNG_PART + "--b--\r\n";
		assertRefused(multipart(body), 400, 1000,
				"The 1st part has no name; its Content-Disposition header must be form-data with a name.");
		assertNothingQueuedOrLogged(output);
	}

	/** A text field past its limit, before or after the file, on the batch and a single-file API. */
	@ParameterizedTest
	@ValueSource(strings = { SUBMIT_WITH_FILES + " batch_id first", SUBMIT_WITH_FILES + " batch_id last",
			"/attachment/upload category_id first", "/attachment/upload category_id last" })
	void aTextFieldPastItsLimitIsRefusedAndNothingQueued(String request) throws Exception {
		assertThat(textFieldPastItsLimit(request)).matches("(?s)HTTP/1\\.1 4(00|13) .*")
			.contains("A text field exceeds the maximum size of 64KB.");
		assertThat(publisher.published()).isEmpty();
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2)).untilAsserted(() -> assertThat(staged()).isEmpty());
	}

	/**
	 * The same, without an error logged. Spring's reader drops the field's pieces when it refuses
	 * it; with the response writer's discard hook reaching into the reading chain, they were
	 * released twice, and reactor-netty's own release of the read then failed
	 * ({@code IllegalReferenceCountException}). Only a real connection's reads, whose pieces share
	 * a count, show it.
	 */
	@ParameterizedTest
	@ValueSource(strings = { SUBMIT_WITH_FILES + " batch_id first", "/attachment/upload category_id first" })
	void aTextFieldPastItsLimitLogsNoError(String request, CapturedOutput output) throws Exception {
		textFieldPastItsLimit(request);
		assertNothingQueuedOrLogged(output);
	}

	private String textFieldPastItsLimit(String request) throws IOException {
		String[] words = request.split(" ");
		String field = "--b\r\nContent-Disposition: form-data; name=\"" + words[1] + "\"\r\n\r\n" + "a".repeat(70_000)
				+ "\r\n";
		String file = words[0].equals(SUBMIT_WITH_FILES) ? PNG_PART : PNG_PART.replace("\"files\"", "\"file\"");
		return multipart(words[0], words[2].equals("first") ? field + file + "--b--\r\n" : file + field + "--b--\r\n");
	}

	/** The single-file APIs drop a part they cannot name; with no file left, that is their own 400. */
	@ParameterizedTest
	@ValueSource(strings = { "/attachment/upload", "/api/images/", "/image_upload" })
	void singleFileApisAnswerAPartWithoutANameWith400(String path, CapturedOutput output) throws Exception {
		for (String body : new String[] { "--b\r\n\r\nanything\r\n--b--\r\n",
				"--b\r\nContent-Disposition: form-data\r\n\r\nabc\r\n--b--\r\n",
				"--b\r\nContent-Disposition: form-data; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\npng\r\n--b--\r\n" }) {
			String answer = multipart(path, body);
			assertThat(answer).startsWith("HTTP/1.1 400 ").containsIgnoringCase("content-type: application/json");
		}
		assertNothingQueuedOrLogged(output);
	}

	@ParameterizedTest
	@ValueSource(strings = { "image/p\u00e9ng", "image/p\u007fng", "image/p\tng" })
	void refusesAPartContentTypeWithForbiddenCharacters(String contentType, CapturedOutput output) throws Exception {
		String body = PNG_PART + "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"b.png\"\r\n"
				+ "Content-Type: " + contentType + "\r\n\r\npng\r\n--b--\r\n";
		assertRefused(multipart(body), 400, 1000, "The 2nd part's Content-Type header is not a valid media type.");
		assertNothingQueuedOrLogged(output);
	}

	@Test
	void refusesAMalformedPartContentDisposition(CapturedOutput output) throws Exception {
		String body = "--b\r\nContent-Disposition: form-data; filename*=UTF-8''%zz\r\n\r\npng\r\n--b--\r\n";
		assertRefused(multipart(body), 400, 1000, "The 1st part's Content-Disposition header is malformed.");
		assertNothingQueuedOrLogged(output);
	}

	@Test
	void refusesAPartFilenameWithAnUnclosedQuote(CapturedOutput output) throws Exception {
		String body = "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\r\n\r\npng\r\n--b--\r\n";
		assertRefused(multipart(body), 400, 1000, "The 1st part's Content-Disposition header is malformed.");
		assertNothingQueuedOrLogged(output);
	}

	@Test
	void refusesABase64MediaTypeWithALineBreak(CapturedOutput output) throws Exception {
		String json = "{\"items\":[{\"type\":\"base64\",\"data\":\"data:x/y\\r\\nX-Evil: 1;base64,aGVsbG8=\"}]}";
		assertRefused(json(json), 400, 1000, "The 1st image 'image-1' data is not valid Base64.");
		assertNothingQueuedOrLogged(output);
	}

	@Test
	void passesOnOnlyKnownImageMediaTypes() throws Exception {
		String json = "{\"items\":[{\"type\":\"base64\",\"data\":\"data:IMAGE/PNG;base64,aGVsbG8=\"},"
				+ "{\"type\":\"base64\",\"data\":\"data:x-evil/anything;base64,aGVsbG8=\"},"
				+ "{\"type\":\"base64\",\"data\":\"data:image/jpg;base64,aGVsbG8=\"}]}";
		String answer = json(json);
		assertThat(answer).startsWith("HTTP/1.1 200 ");
		assertThat(publisher.published().get(0).jobs())
			.extracting(job -> ((ItemSource.Staged) job.source()).blob().contentType())
			.containsExactly("image/png", "application/octet-stream", "image/jpeg");
		String multipart = multipart("--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n"
				+ "Content-Type: text/x-evil\r\n\r\npng\r\n--b--\r\n");
		assertThat(multipart).startsWith("HTTP/1.1 200 ");
		assertThat(publisher.published().get(1).jobs())
			.extracting(job -> ((ItemSource.Staged) job.source()).blob().contentType())
			.containsExactly("application/octet-stream");
	}

	/** Names keep no control, separator or bidi character: each is queued as U+FFFD. */
	@Test
	void queuesNamesWithoutControlCharacters() throws Exception {
		String multipart = multipart("--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a\u0001b.png\"\r\n"
				+ "Content-Type: image/png\r\n\r\npng\r\n--b\r\nContent-Disposition: form-data; name=\"files\"; "
				+ "filename=\"c.png\"\r\nContent-Type: image/png\r\n\r\npng\r\n--b\r\nContent-Disposition: form-data; "
				+ "name=\"image_names\"\r\n\r\nx\u001b[31m\u202e.png\r\n--b\r\nContent-Disposition: form-data; "
				+ "name=\"image_names\"\r\n\r\n\r\n--b--\r\n");
		assertThat(multipart).startsWith("HTTP/1.1 200 ");
		assertThat(json("{\"items\":[{\"type\":\"url\",\"url\":\"https://a.example/x.png\",\"image_name\":\"n\\u0000\\ud800.png\"}]}"))
			.startsWith("HTTP/1.1 200 ");
		assertThat(publisher.published().get(0).jobs()).extracting(job -> job.name())
			.containsExactly("x\uFFFD[31m\uFFFD.png", "c.png");
		// the file's own name where its image_names value is empty; cleaned the same way
		assertThat(multipart(PNG_PART.replace("a.png", "d\u0085.png") + "--b--\r\n")).startsWith("HTTP/1.1 200 ");
		assertThat(publisher.published().get(2).jobs()).extracting(job -> job.name()).containsExactly("d\uFFFD.png");
		assertThat(publisher.published().get(1).jobs()).extracting(job -> job.name()).containsExactly("n\uFFFD\uFFFD.png");
	}

	/** A refusal that names a file shows its name as the status would: no control character reaches a terminal. */
	@Test
	void refusalsShowNamesWithoutControlCharacters() throws Exception {
		String answer = multipart("--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"ev\u001b[31mil.pdf\"\r\n"
				+ "Content-Type: application/pdf\r\n\r\n%PDF\r\n--b--\r\n");
		assertThat(answer).startsWith("HTTP/1.1 400 ");
		assertThat(answer).contains("The 1st file 'ev\uFFFD[31mil.pdf' extension 'pdf' is not supported.")
			.doesNotContain("\\u001b", "\\u001B", "\u001b");
		assertThat(publisher.published()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { ".", ".." })
	void refusesDotBatchIds(String batchId, CapturedOutput output) throws Exception {
		String message = "The batch_id must be 1 to 64 characters: letters, digits, '.', '_' or '-' (not '.' or '..' alone).";
		assertRefused(json("{\"batch_id\":\"" + batchId + "\",\"items\":[{\"type\":\"url\",\"url\":\"https://a.example/x.png\"}]}"),
				400, 1000, message);
		assertRefused(multipart(PNG_PART + "--b\r\nContent-Disposition: form-data; name=\"batch_id\"\r\n\r\n" + batchId
				+ "\r\n--b--\r\n"), 400, 1000, message);
		assertNothingQueuedOrLogged(output);
	}

	@ParameterizedTest
	@ValueSource(strings = { "GET /v1/batch-upload/status/.. HTTP/1.1", "GET /v1/batch-upload/status/a/../b HTTP/1.1",
			"GET /v1//batch-upload/status/a HTTP/1.1", "GET /v1/batch-upload/status/a;x=1 HTTP/1.1",
			"GET /v1/batch-upload/status/a%2fb HTTP/1.1", "GET /v1/batch-upload/status/a%00 HTTP/1.1",
			"TRACE /v1/batch-upload/status/a HTTP/1.1", "GET /i/images/local/a%2f..%2fb.png HTTP/1.1" })
	void answersTheRequestFirewallsRefusalsInTheApiShape(String requestLine, CapturedOutput output) throws Exception {
		String answer = exchange(requestLine + "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestServers.TOKEN
				+ "\r\nConnection: close\r\n\r\n");
		assertRefused(answer, 400, 1000, ApiProblem.notAllowedByFirewall().getMessage());
		assertNothingQueuedOrLogged(output);
	}

	@Test
	void answersImageKeysIntakeCouldNeverHaveWrittenWith404(CapturedOutput output) throws Exception {
		for (String key : new String[] { "a".repeat(1100), "a".repeat(300) + "/b.png" }) {
			String answer = exchange("GET /i/images/local/" + key + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
			assertRefused(answer, 404, 404, "Not found.");
			assertThat(answer).doesNotContainIgnoringCase("Retry-After");
		}
		assertNothingQueuedOrLogged(output);
	}

	@Test
	void answersABadChunkSizeWith400AndLogsNoError(CapturedOutput output) throws Exception {
		String answer = exchange("POST " + SUBMIT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
				+ TestServers.TOKEN + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
				+ "5\r\n{\"ite\r\nzz\r\nms\":[]}\r\n0\r\n\r\n");
		assertThat(answer).startsWith("HTTP/1.1 400 ");
		assertNothingQueuedOrLogged(output);
	}

	@Test
	void aHeaderTheHttpServerRefusesAddsNoLogLine(CapturedOutput output) throws Exception {
		// the HTTP server answers a header value with a control character with its own empty 400;
		// it would log a warning with the client's request line for each, a log line at the client's will
		String answer = exchange("GET /v1/batch-upload/status/forged%0AERROR HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				+ "X-Forged: a\u0001b\r\nConnection: close\r\n\r\n");
		assertThat(answer).startsWith("HTTP/1.1 400 ");
		assertThat(output.getAll()).doesNotContain("forged").doesNotContain("Decoding failed");
		assertNothingQueuedOrLogged(output);
	}

	@Test
	void answersAMissingFinalBoundaryWith400AndLogsNoError(CapturedOutput output) throws Exception {
		String answer = multipart(PNG_PART + "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"c.png\"\r\n"
				+ "Content-Type: image/png\r\n\r\nunfinished");
		assertRefused(answer, 400, 1000, "The multipart/form-data body is malformed.");
		assertNothingQueuedOrLogged(output);
	}

	private void assertNothingQueuedOrLogged(CapturedOutput output) {
		assertThat(publisher.published()).isEmpty();
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2)).untilAsserted(() -> assertThat(staged()).isEmpty());
		assertThat(output.getAll().lines().filter(line -> line.matches(".*\\bERROR\\b.*"))).isEmpty();
		assertThat(output.getAll()).doesNotContain("onErrorDropped").doesNotContain("Unexpected failure");
	}

	private static void assertRefused(String answer, int status, int code, String message) {
		assertThat(answer).startsWith("HTTP/1.1 " + status + " ");
		assertThat(answer).containsIgnoringCase("content-type: application/json");
		assertThat(answer).endsWith("{\"code\":" + code + ",\"message\":\"" + message.replace("\"", "\\\"") + "\"}");
	}

	private String multipart(String body) throws IOException {
		return multipart(SUBMIT_WITH_FILES, body);
	}

	private String multipart(String path, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		return exchange(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
				+ TestServers.TOKEN + "\r\nContent-Type: multipart/form-data; boundary=b\r\nConnection: close\r\n"
				+ "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), bytes);
	}

	private String json(String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		return exchange(("POST " + SUBMIT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestServers.TOKEN
				+ "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + bytes.length
				+ "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), bytes);
	}

	private String exchange(String request) throws IOException {
		return exchange(request.getBytes(StandardCharsets.UTF_8), new byte[0]);
	}

	/** Sends a request as raw bytes; returns the answer up to the server closing the connection. */
	private String exchange(byte[] head, byte[] body) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(head);
			out.write(body);
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			byte[] chunk = new byte[8192];
			try {
				int read;
				while ((read = in.read(chunk)) != -1) {
					answer.write(chunk, 0, read);
				}
			}
			catch (SocketException reset) {
				// closed with a reset after the answer
			}
			return answer.toString(StandardCharsets.UTF_8);
		}
	}

}
