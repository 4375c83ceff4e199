package dev.intake.status.content;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.intake.contracts.ApiError;
import dev.intake.contracts.BatchKey;
import dev.intake.contracts.InternalApi;
import dev.intake.contracts.JsonSerde;
import dev.intake.status.lookup.PeerRelay;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The internal content look-ups, in the envelope of the other internal look-ups.
 * <ul>
 * <li>{@code GET} {@link InternalApi#CONTENT}: 200 {@code {"code":200,"message":"success","data":{ContentEntry}}}
 * for a content the index keeps; 404 with code {@value #NOT_FOUND_CODE} for one it does not (or a
 * tenant or hash that cannot be one); 503 with code 1500 and {@code Retry-After} when it cannot be
 * told yet. The image origin calls it.</li>
 * <li>{@code POST} {@link InternalApi#UPLOADS_OWNED} with a JSON array of at most
 * {@code intake.content.max-owned-keys} upload keys: 200 with {@code data.owned}, those of them
 * the index keeps; 400 for more keys or anything but an array of strings. The sweeper calls it.</li>
 * </ul>
 */
@RestController
class ContentController {

	static final String PATH = InternalApi.CONTENT;

	/** Unknown content. */
	static final int NOT_FOUND_CODE = 1207;

	private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

	private static final byte[] NOT_FOUND = ("{\"code\":" + NOT_FOUND_CODE
			+ ",\"message\":\"Content is not stored.\"}").getBytes(StandardCharsets.UTF_8);

	private static final byte[] UNAVAILABLE = ("{\"code\":" + ApiError.UNAVAILABLE
			+ ",\"message\":\"The content index is temporarily unavailable, please retry.\"}")
		.getBytes(StandardCharsets.UTF_8);

	private static final byte[] FOUND_OPEN = "{\"code\":200,\"message\":\"success\",\"data\":"
		.getBytes(StandardCharsets.UTF_8);

	private static final JsonSerde<Object> JSON = new JsonSerde<>(Object.class);

	private static final Log logger = LogFactory.getLog(ContentController.class);

	private final ContentLookup lookup;

	private final int maxOwnedKeys;

	ContentController(ContentLookup lookup, ContentProperties props) {
		this.lookup = lookup;
		this.maxOwnedKeys = props.maxOwnedKeys();
	}

	@GetMapping(PATH)
	Mono<ResponseEntity<byte[]>> content(@PathVariable String tenant, @PathVariable String sha256,
			@RequestHeader(name = PeerRelay.FORWARDED_HEADER, required = false) String forwarded) {
		if (!BatchKey.TENANT.matcher(tenant).matches() || !SHA256.matcher(sha256).matches()) {
			return Mono.just(json(HttpStatus.NOT_FOUND).body(NOT_FOUND));
		}
		return lookup.find(tenant, sha256, forwarded != null)
			.map(ContentController::toResponse)
			.onErrorResume(ex -> {
				logger.warn("Look-up of content " + tenant + "/" + sha256 + " failed", ex);
				return Mono.just(unavailable());
			});
	}

	@PostMapping(InternalApi.UPLOADS_OWNED)
	Mono<ResponseEntity<byte[]>> owned(@RequestBody(required = false) byte[] body) {
		List<String> keys = keys(body);
		if (keys == null) {
			return Mono.just(json(HttpStatus.BAD_REQUEST).body(("{\"code\":" + ApiError.INVALID_REQUEST
					+ ",\"message\":\"Expected a JSON array of at most " + maxOwnedKeys + " object keys.\"}")
				.getBytes(StandardCharsets.UTF_8)));
		}
		return lookup.owned(keys)
			.map(owned -> json(HttpStatus.OK).body(JSON.serializer()
				.serialize(null, Map.of("code", 200, "message", "success", "data", Map.of("owned", owned)))))
			.onErrorResume(ex -> {
				logger.warn("Look-up of " + keys.size() + " kept uploads failed: " + ex.getMessage());
				return Mono.just(unavailable());
			});
	}

	/** The keys of a request body, or null when it is not an array of at most the allowed strings. */
	private List<String> keys(byte[] body) {
		if (body == null || body.length == 0) {
			return null;
		}
		try {
			Object parsed = JSON.deserializer().deserialize(null, body);
			if (!(parsed instanceof List<?> list) || list.size() > maxOwnedKeys
					|| !list.stream().allMatch(String.class::isInstance)) {
				return null;
			}
			return list.stream().map(String.class::cast).toList();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	static ResponseEntity<byte[]> toResponse(ContentAnswer answer) {
		if (answer instanceof ContentAnswer.Found found) {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			body.writeBytes(FOUND_OPEN);
			body.writeBytes(ContentIndexTopology.ENTRY_SERDE.serializer().serialize(null, found.entry()));
			body.write('}');
			return json(HttpStatus.OK).body(body.toByteArray());
		}
		if (answer instanceof ContentAnswer.Relayed relayed) {
			ResponseEntity.BodyBuilder builder = json(HttpStatus.valueOf(relayed.status()));
			if (relayed.retryAfter() != null) {
				builder.header(HttpHeaders.RETRY_AFTER, relayed.retryAfter());
			}
			return builder.body(relayed.body());
		}
		if (answer instanceof ContentAnswer.NotFound) {
			return json(HttpStatus.NOT_FOUND).body(NOT_FOUND);
		}
		return unavailable();
	}

	private static ResponseEntity<byte[]> unavailable() {
		return json(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(UNAVAILABLE);
	}

	private static ResponseEntity.BodyBuilder json(HttpStatus status) {
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
	}

}
