package dev.intake.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Predicate;
import java.util.stream.Stream;

import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The batch-upload API over the JDK's HttpClient: submit (a streamed multipart body), status,
 * retry and the live events. A non-2xx answer becomes an {@link ApiException}; a server that
 * cannot be reached, a {@link CliException} with {@link Exit#SERVER}.
 */
public final class ApiClient {

	/** Reads the answers and writes the CLI's JSON output, with terminal-unsafe characters escaped. */
	public static final JsonMapper JSON = JsonMapper
		.builder(JsonFactory.builder().characterEscapes(new TerminalText.JsonEscapes()).build())
		.build();

	static {
		// the api-service closes a connection idle for 30 s, the JDK keeps one for 20 minutes; a POST
		// sent on a connection being closed fails instead of being sent again. Read by the JDK once,
		// when its first HttpClient is made.
		if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
			System.setProperty("jdk.httpclient.keepalive.timeout", "20");
		}
	}

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(10))
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	private final String baseUrl;

	private final String token;

	ApiClient(String baseUrl, String token) {
		this.baseUrl = baseUrl;
		this.token = token;
	}

	public String baseUrl() {
		return baseUrl;
	}

	/** {@code POST /v1/batch-upload/submit-with-files}; the answer's {@code data}. */
	public JsonNode submitWithFiles(HttpRequest.BodyPublisher body, String contentType, String idempotencyKey) {
		HttpRequest.Builder request = request("/v1/batch-upload/submit-with-files").header("Content-Type", contentType)
			.POST(body);
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		return data(send(request.build()));
	}

	/** {@code GET /v1/batch-upload/status/{id}}; the answer's {@code data}. */
	public JsonNode status(String batchId) {
		return data(send(request("/v1/batch-upload/status/" + segment(batchId)).timeout(Duration.ofSeconds(60))
			.GET()
			.build()));
	}

	/** {@code POST /v1/batch-upload/{id}/retry}; the answer's {@code data}. */
	public JsonNode retry(String batchId) {
		return data(send(request("/v1/batch-upload/" + segment(batchId) + "/retry").timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build()));
	}

	/**
	 * Reads {@code GET /v1/batch-upload/status/{id}/events} and hands each {@code status} event's data
	 * to {@code onStatus} until it answers {@code false}. A stream that ends early (the batch moved
	 * to another instance) is opened again; it starts with the current state.
	 */
	public void events(String batchId, Predicate<JsonNode> onStatus) {
		URI uri = URI.create(baseUrl + "/v1/batch-upload/status/" + segment(batchId) + "/events");
		while (true) {
			HttpRequest request = HttpRequest.newBuilder(uri)
				.header("Authorization", "Bearer " + token)
				.header("Accept", "text/event-stream")
				.GET()
				.build();
			HttpResponse<Stream<String>> response = exchange(request, HttpResponse.BodyHandlers.ofLines());
			if (response.statusCode() != 200) {
				String body = String.join("\n", (Iterable<String>) response.body()::iterator);
				throw error(response.statusCode(), body);
			}
			try (Stream<String> lines = response.body()) {
				if (!readEvents(lines.iterator(), onStatus)) {
					return;
				}
			}
			catch (java.io.UncheckedIOException ex) {
				// the connection dropped: open the stream again
			}
		}
	}

	/** Dispatches events; false once {@code onStatus} asked to stop. */
	static boolean readEvents(Iterator<String> lines, Predicate<JsonNode> onStatus) {
		String event = "message";
		StringBuilder data = new StringBuilder();
		while (lines.hasNext()) {
			String line = lines.next();
			if (line.isEmpty()) {
				if ("status".equals(event) && data.length() > 0 && !onStatus.test(JSON.readTree(data.toString()))) {
					return false;
				}
				event = "message";
				data.setLength(0);
			}
			else if (line.startsWith(":")) {
				continue; // a comment: the heartbeat
			}
			else {
				int colon = line.indexOf(':');
				String field = colon < 0 ? line : line.substring(0, colon);
				String value = colon < 0 ? "" : line.substring(colon + 1);
				if (value.startsWith(" ")) {
					value = value.substring(1);
				}
				if ("event".equals(field)) {
					event = value;
				}
				else if ("data".equals(field)) {
					if (data.length() > 0) {
						data.append('\n');
					}
					data.append(value);
				}
			}
		}
		return true;
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + token);
	}

	private HttpResponse<String> send(HttpRequest request) {
		HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() / 100 != 2) {
			throw error(response.statusCode(), response.body());
		}
		return response;
	}

	private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
		try {
			return http.send(request, handler);
		}
		catch (IOException ex) {
			throw new CliException(Exit.SERVER, "Cannot reach " + baseUrl + ": "
					+ (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CliException(Exit.SERVER, "Interrupted", ex);
		}
	}

	private static JsonNode data(HttpResponse<String> response) {
		try {
			JsonNode data = JSON.readTree(response.body()).get("data");
			if (data == null || !data.isObject()) {
				throw new CliException(Exit.SERVER, "The answer has no data: " + response.body());
			}
			return data;
		}
		catch (JacksonException ex) {
			throw new CliException(Exit.SERVER, "The answer is not JSON: " + abbreviate(response.body()));
		}
	}

	static ApiException error(int status, String body) {
		try {
			JsonNode error = JSON.readTree(body);
			if (error != null && error.has("code") && error.has("message")) {
				return new ApiException(status, error.get("code").asInt(), error.get("message").asString());
			}
		}
		catch (JacksonException ex) {
			// not the API's error body (e.g. a proxy's page): show what came
		}
		return new ApiException(status, status, abbreviate(body));
	}

	private static String abbreviate(String text) {
		String flat = text == null ? "" : text.replaceAll("\\s+", " ").strip();
		return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
	}

	private static String segment(String batchId) {
		return URLEncoder.encode(batchId, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
