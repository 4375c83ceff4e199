package dev.intake.worker.sweep;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.intake.contracts.InternalApi;
import dev.intake.contracts.JsonSerde;

/**
 * Asks the status-service's content index which upload objects it keeps
 * ({@code POST} {@link InternalApi#UPLOADS_OWNED}). Any answer but a well-formed 200 is an
 * {@link IOException}: the caller then deletes nothing.
 */
class OwnedUploads {

	private static final JsonSerde<Object> JSON = new JsonSerde<>(Object.class);

	private final HttpClient http;

	private final URI endpoint;

	private final String token;

	private final Duration timeout;

	OwnedUploads(URI baseUrl, String token, Duration timeout) {
		String base = baseUrl.toString();
		this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
				+ InternalApi.UPLOADS_OWNED);
		this.token = token;
		this.timeout = timeout;
		this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
	}

	/** Those of {@code keys} the content index keeps; never more keys than asked about. */
	Set<String> owned(List<String> keys) throws IOException {
		HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
			.timeout(timeout)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(JSON.serialize(null, keys)));
		if (token != null && !token.isBlank()) {
			request.header(InternalApi.TOKEN_HEADER, token);
		}
		HttpResponse<byte[]> response;
		try {
			response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new IOException(endpoint + " did not answer: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
		if (response.statusCode() != 200) {
			throw new IOException(endpoint + " answered " + response.statusCode());
		}
		try {
			if (JSON.deserialize(null, response.body()) instanceof Map<?, ?> envelope
					&& envelope.get("data") instanceof Map<?, ?> data && data.get("owned") instanceof List<?> owned
					&& owned.stream().allMatch(String.class::isInstance)) {
				Set<String> asked = new HashSet<>(keys);
				Set<String> kept = new HashSet<>();
				owned.stream().map(String.class::cast).filter(asked::contains).forEach(kept::add);
				return kept;
			}
		}
		catch (RuntimeException ex) {
			throw new IOException(endpoint + " answered no list of owned keys", ex);
		}
		throw new IOException(endpoint + " answered no list of owned keys");
	}

}
