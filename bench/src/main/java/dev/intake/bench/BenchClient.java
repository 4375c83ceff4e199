package dev.intake.bench;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to Intake's public API as a user's program would: multipart and JSON submits built in
 * memory before the clock starts, status look-ups timed one by one.
 */
final class BenchClient {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String baseUrl;

	BenchClient(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	/** A request ready to send: its body is already built. */
	record Submit(String batchId, HttpRequest request) {
	}

	Submit multipart(String batchId, List<byte[]> images) {
		String boundary = "----intake-bench-" + batchId;
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (int i = 0; i < images.size(); i++) {
			body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"img-" + i
					+ ".jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			body.writeBytes(images.get(i));
			body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"batch_id\"\r\n\r\n" + batchId
				+ "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		return new Submit(batchId, post("/batch-upload/submit-with-files", "multipart/form-data; boundary=" + boundary,
				body.toByteArray()));
	}

	Submit base64(String batchId, List<byte[]> images) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("{\"batch_id\":\"" + batchId + "\",\"items\":[").getBytes(StandardCharsets.US_ASCII));
		for (int i = 0; i < images.size(); i++) {
			body.writeBytes(((i > 0) ? "," : "").getBytes(StandardCharsets.US_ASCII));
			body.writeBytes(("{\"type\":\"base64\",\"image_name\":\"img-" + i + ".jpg\",\"data\":\"data:image/jpeg;base64,")
				.getBytes(StandardCharsets.US_ASCII));
			body.writeBytes(Base64.getEncoder().encode(images.get(i)));
			body.writeBytes("\"}".getBytes(StandardCharsets.US_ASCII));
		}
		body.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
		return new Submit(batchId, post("/batch-upload/submit", "application/json", body.toByteArray()));
	}

	Submit urls(String batchId, List<String> urls) {
		StringBuilder body = new StringBuilder("{\"batch_id\":\"" + batchId + "\",\"items\":[");
		for (int i = 0; i < urls.size(); i++) {
			body.append((i > 0) ? "," : "").append("{\"type\":\"url\",\"url\":\"").append(urls.get(i)).append("\"}");
		}
		body.append("]}");
		return new Submit(batchId,
				post("/batch-upload/submit", "application/json", body.toString().getBytes(StandardCharsets.US_ASCII)));
	}

	/** Submits answered with a 5xx and sent again (a rejected submit queues nothing). */
	final AtomicInteger serverErrors = new AtomicInteger();

	/** Sends the submit, again after a 5xx (at most twice more); fails unless it is accepted. */
	void send(Submit submit) throws Exception {
		HttpResponse<String> response = http.send(submit.request(), HttpResponse.BodyHandlers.ofString());
		for (int retry = 0; retry < 2 && response.statusCode() >= 500; retry++) {
			serverErrors.incrementAndGet();
			System.out.println("submit " + submit.batchId() + " answered " + response.statusCode() + " (counted, sent again): "
					+ response.body());
			response = http.send(submit.request(), HttpResponse.BodyHandlers.ofString());
		}
		if (response.statusCode() != 200) {
			throw new IllegalStateException("submit " + submit.batchId() + " answered " + response.statusCode() + ": "
					+ response.body());
		}
	}

	/** One status look-up: the batch's status, or why there is none. */
	String status(String batchId) throws Exception {
		return lookUp(batchId).status();
	}

	/**
	 * One status look-up, timed from sending the request to the last byte of the answer; reading
	 * the JSON afterwards is the benchmark's own work and is not counted.
	 */
	Lookup lookUp(String batchId) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/batch-upload/status/" + batchId))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + IntakeProcess.TOKEN)
			.GET()
			.build();
		long begin = System.nanoTime();
		HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
		double millis = (System.nanoTime() - begin) / 1e6;
		if (response.statusCode() != 200) {
			return new Lookup("HTTP " + response.statusCode(), millis);
		}
		JsonNode data = json.readTree(response.body()).get("data");
		String status = data.get("status").asString();
		if ("TASK_SUCCEEDED".equals(status) && data.get("failed_count").asInt() > 0) {
			String body = new String(response.body(), StandardCharsets.UTF_8);
			throw new IllegalStateException(
					"batch " + batchId + " had failed items: " + body.substring(0, Math.min(2000, body.length())));
		}
		return new Lookup(status, millis);
	}

	/** What a look-up answered, and how long the exchange took. */
	record Lookup(String status, double millis) {
	}

	private HttpRequest post(String path, String contentType, byte[] body) {
		return HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(Duration.ofMinutes(5))
			.header("Authorization", "Bearer " + IntakeProcess.TOKEN)
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
	}

}
