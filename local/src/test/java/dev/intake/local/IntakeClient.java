package dev.intake.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A plain HTTP client of the batch API, the way a user's program talks to Intake: multipart built
 * by hand, JSON read as a tree. No Intake code is used to talk to Intake.
 */
final class IntakeClient {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String baseUrl;

	private final String token;

	IntakeClient(String baseUrl, String token) {
		this.baseUrl = baseUrl;
		this.token = token;
	}

	record Upload(String filename, String contentType, byte[] bytes) {
	}

	record Answer(int status, JsonNode body) {
	}

	Answer submitWithFiles(List<Upload> files, List<String> imageNames, String batchId) throws Exception {
		return submitWithFiles(files, imageNames, batchId, Map.of());
	}

	/** With further form fields, e.g. {@code callback_url}. */
	Answer submitWithFiles(List<Upload> files, List<String> imageNames, String batchId, Map<String, String> fields)
			throws Exception {
		String boundary = "----intake-test-" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (Upload file : files) {
			part(body, boundary, "Content-Disposition: form-data; name=\"files\"; filename=\"" + file.filename() + "\"\r\n"
					+ "Content-Type: " + file.contentType() + "\r\n", file.bytes());
		}
		for (String name : imageNames) {
			part(body, boundary, "Content-Disposition: form-data; name=\"image_names\"\r\n",
					name.getBytes(StandardCharsets.UTF_8));
		}
		if (batchId != null) {
			part(body, boundary, "Content-Disposition: form-data; name=\"batch_id\"\r\n",
					batchId.getBytes(StandardCharsets.UTF_8));
		}
		for (Map.Entry<String, String> field : fields.entrySet()) {
			part(body, boundary, "Content-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n",
					field.getValue().getBytes(StandardCharsets.UTF_8));
		}
		body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		HttpRequest request = authorized(URI.create(baseUrl + "/batch-upload/submit-with-files"))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
			.build();
		return send(request);
	}

	/** The batch's status, once the status-service can tell it (see {@link #sendUntilTold}). */
	Answer status(String batchId) throws Exception {
		return sendUntilTold(authorized(URI.create(baseUrl + "/batch-upload/status/" + batchId)).GET().build());
	}

	/** Polls status the way the bach.art API's examples do, until TASK_SUCCEEDED; every answer must be a 200. */
	JsonNode awaitCompletion(String batchId, Duration timeout) {
		List<String> seen = new CopyOnWriteArrayList<>();
		try {
			return Awaitility.await()
				.atMost(timeout)
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> {
					Answer answer = status(batchId);
					if (answer.status() != 200) {
						throw new AssertionError("status answered " + answer.status() + ": " + answer.body());
					}
					JsonNode data = answer.body().get("data");
					seen.add(data.get("status").asString());
					return data;
				}, data -> "TASK_SUCCEEDED".equals(data.get("status").asString()));
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("batch " + batchId + " not done in " + timeout + "; statuses seen: " + seen, ex);
		}
	}

	HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
				HttpResponse.BodyHandlers.ofByteArray());
	}

	Answer send(HttpRequest request) throws IOException, InterruptedException {
		return answerOf(http.send(request, HttpResponse.BodyHandlers.ofString()));
	}

	/**
	 * Sends the request again while it is answered 503 with {@code Retry-After}, Intake's "cannot be
	 * told yet" (a status-service store still catching up, which a busy machine makes longer), as a
	 * client is told to; for up to two minutes. Returns the first other answer, else the last 503.
	 * Only for requests that may be repeated.
	 */
	Answer sendUntilTold(HttpRequest request) throws IOException, InterruptedException {
		AtomicReference<Answer> last = new AtomicReference<>();
		try {
			return Awaitility.await()
				.atMost(Duration.ofMinutes(2))
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(250))
				.until(() -> {
					HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
					Answer answer = answerOf(response);
					last.set(answer);
					boolean notYet = response.statusCode() == 503
							&& response.headers().firstValue("Retry-After").isPresent();
					return notYet ? null : answer;
				}, answer -> answer != null);
		}
		catch (ConditionTimeoutException ex) {
			return last.get();
		}
	}

	private static Answer answerOf(HttpResponse<String> response) {
		return new Answer(response.statusCode(), json.readTree(response.body()));
	}

	private HttpRequest.Builder authorized(URI uri) {
		return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token);
	}

	private static void part(ByteArrayOutputStream body, String boundary, String headers, byte[] content)
			throws IOException {
		body.write(("--" + boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
		body.write(content);
		body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
	}

}
