package dev.intake.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.intake.testsupport.TestImages;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * The public HTTP API as one tenant's client sees it: submit a batch (multipart or JSON) and
 * read its status. Status polls ride out the faults the scenarios cause: an answer that is not
 * a 200, or no answer, is recorded and polled again until the deadline (a hang guard).
 */
final class Api {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	private final String tenant;

	Api(Stack stack, String tenant) {
		this.base = stack.apiBase() + "/v1/batch-upload";
		this.tenant = tenant;
	}

	String tenant() {
		return tenant;
	}

	/** Submits {@code files} (name and bytes) as multipart; returns the answer's data, else fails. */
	JsonNode submitFiles(String batchId, List<TestImages.Named> files) throws Exception {
		String boundary = "faults-" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (TestImages.Named file : files) {
			body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + file.name()
					+ "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
			body.write(file.bytes());
			body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"batch_id\"\r\n\r\n" + batchId
				+ "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return accepted(request("/submit-with-files").header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
	}

	/** Submits a JSON body ({@code {"batch_id":…,"items":[…]}}); returns the answer's data, else fails. */
	JsonNode submitJson(String body) throws Exception {
		return accepted(request("/submit").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private JsonNode accepted(HttpRequest.Builder request) throws Exception {
		HttpResponse<String> response = http.send(request.timeout(Duration.ofMinutes(2)).build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new AssertionError("submit answered " + response.statusCode() + ": " + response.body());
		}
		return json.readTree(response.body()).get("data");
	}

	/** The batch's status data, or null when the API did not answer 200 (recorded in the message). */
	JsonNode status(String batchId) {
		try {
			HttpResponse<String> response = http.send(request("/status/" + batchId).timeout(Duration.ofSeconds(30))
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? json.readTree(response.body()).get("data") : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Polls until at least {@code count} items are processed; returns the count seen. */
	int awaitProcessed(String batchId, int count, Duration timeout) {
		try {
			return await().atMost(timeout)
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(50))
				.until(() -> status(batchId), data -> data != null && data.get("processed_count").asInt() >= count)
				.get("processed_count")
				.asInt();
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("batch " + batchId + " did not reach " + count + " processed items in " + timeout
					+ "; last status " + status(batchId), ex);
		}
	}

	/** Polls until the batch is complete ({@code TASK_SUCCEEDED}); returns its final status data. */
	JsonNode awaitDone(String batchId, Duration timeout) {
		AtomicInteger failedPolls = new AtomicInteger();
		AtomicReference<JsonNode> last = new AtomicReference<>();
		try {
			JsonNode done = await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(() -> {
				JsonNode data = status(batchId);
				if (data == null) {
					failedPolls.incrementAndGet();
				}
				else {
					last.set(data);
				}
				return data;
			}, data -> data != null && "TASK_SUCCEEDED".equals(data.get("status").asString()));
			if (failedPolls.get() > 0) {
				Faults.log(tenant + "/" + batchId + ": " + failedPolls + " status polls got no 200 during the fault");
			}
			return done;
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("batch " + tenant + "/" + batchId + " not complete in " + timeout
					+ "; last status " + summary(last.get()) + ", polls without a 200: " + failedPolls, ex);
		}
	}

	static String summary(JsonNode data) {
		if (data == null) {
			return "none";
		}
		return data.get("status").asString() + " processed=" + data.get("processed_count") + "/"
				+ data.get("total_count") + " succeeded=" + data.get("success_count") + " failed="
				+ data.get("failed_count");
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + Stack.token(tenant));
	}

}
