package dev.intake.api.image;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.intake.api.error.ApiProblem;
import dev.intake.api.status.StatusServiceClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where the origin finds the bytes of an original: the status-service's content index names the
 * one upload object that holds a verified content of a tenant. Positive answers are kept in a
 * bounded LRU map (a verdict never changes); a miss costs one internal look-up, never an S3
 * request. A key the index does not know is served from where it physically is (renditions,
 * documents and originals stored before uploads were written once).
 */
final class ContentLocations {

	private static final Log logger = LogFactory.getLog(ContentLocations.class);

	/** {@code images/{tenant}/{sha256}.{ext}}: the public key of an original. */
	private static final Pattern ORIGINAL = Pattern.compile("images/([^/]+)/([0-9a-f]{64})\\.[a-z0-9]+");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final StatusServiceClient status;

	private final Map<String, Location> known;

	ContentLocations(StatusServiceClient status, int maxEntries) {
		this.status = status;
		this.known = new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Location> eldest) {
				return size() > maxEntries;
			}
		};
	}

	/**
	 * Where the bytes of a public key are: the index's object for an original it knows (and
	 * nothing when the key names it with another extension), else the key itself.
	 */
	Mono<Optional<Location>> locate(String key) {
		Matcher original = ORIGINAL.matcher(key);
		if (!original.matches()) {
			return Mono.just(Optional.of(new Location(key, null)));
		}
		Location cached;
		synchronized (known) {
			cached = known.get(key);
		}
		if (cached != null) {
			return Mono.just(Optional.of(cached));
		}
		return status.content(original.group(1), original.group(2), response -> switch (response.statusCode().value()) {
			case 200 -> response.bodyToMono(byte[].class).map(body -> found(key, body));
			case 404 -> response.releaseBody().thenReturn(Optional.of(new Location(key, null)));
			default -> response.releaseBody()
				.then(Mono.error(new IllegalStateException("content index answered " + response.statusCode())));
		}).onErrorMap(ex -> !(ex instanceof ApiProblem), ex -> {
			logger.warn("Could not look up content of " + key + ": " + ex);
			return ApiProblem.unavailable("Image storage is temporarily unavailable, please retry.",
					Duration.ofSeconds(1));
		});
	}

	private Optional<Location> found(String key, byte[] body) {
		JsonNode entry = json.readTree(body).path("data");
		if (!key.equals(entry.path("key").asString(""))) {
			// the content is stored, but as another format than this key names
			return Optional.empty();
		}
		Location location = new Location(entry.path("object").asString(), entry.path("contentType").asString());
		synchronized (known) {
			known.put(key, location);
		}
		return Optional.of(location);
	}

	/**
	 * Where a public key's bytes are.
	 *
	 * @param object the object key to read
	 * @param contentType the verified type to serve them as, or null to take the stored object's
	 */
	record Location(String object, String contentType) {
	}

}
