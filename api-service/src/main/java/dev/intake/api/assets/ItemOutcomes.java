package dev.intake.api.assets;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.intake.api.status.StatusServiceClient;
import dev.intake.contracts.DocumentFormat;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.ItemError;
import dev.intake.contracts.ObjectKeys;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * What the status-service knows of a single-file upload: the final state of its one item, taken
 * from the batch's live progress stream (the first event that shows the item done; no polling),
 * and the asset a replacement replaces, from the catalogue.
 */
final class ItemOutcomes {

	private static final Log logger = LogFactory.getLog(ItemOutcomes.class);

	/** Pause before the live stream is opened again after the status-service could not serve it. */
	private static final Duration RECONNECT_DELAY = Duration.ofMillis(100);

	private final StatusServiceClient statusService;

	private final JsonMapper json;

	private final AssetProperties properties;

	ItemOutcomes(StatusServiceClient statusService, JsonMapper json, AssetProperties properties) {
		this.statusService = statusService;
		this.json = json;
		this.properties = properties;
	}

	/** The asset before a replacement: its times and its API's fields. */
	record Previous(Instant createdAt, Instant updatedAt, Map<String, String> attributes) {
	}

	/** The stored file of a succeeded item, as the status view shows it. */
	record Stored(String key, String url, String contentType, boolean image, int width, int height, long size,
			String md5, Map<String, String> renditions, Instant processedAt) {
	}

	/** The asset {@code id} of {@code tenant} as it is now; {@link FileRefused.Reason#UNKNOWN_ASSET} when there is none. */
	Mono<Previous> existing(String tenant, long id) {
		return statusService.asset(tenant, id, null, response -> switch (response.statusCode().value()) {
			case 200 -> response.bodyToMono(String.class).map(body -> previousOf(json.readTree(body).path("data")));
			case 404 -> response.releaseBody()
				.then(Mono.error(new FileRefused(FileRefused.Reason.UNKNOWN_ASSET, "No file with id " + id + " exists.")));
			default -> response.releaseBody().then(Mono.error(new IllegalStateException(
					"the asset catalogue answered " + response.statusCode().value())));
		}).onErrorMap(ex -> !(ex instanceof FileRefused), ex -> {
			logger.warn("Could not look up asset " + tenant + "/" + id, ex);
			return FileRefused.unavailable("The file catalogue is temporarily unavailable, please retry.",
					Duration.ofSeconds(1));
		});
	}

	/**
	 * The stored file of the one item of {@code batchId}, once the worker is done with it; a failed
	 * item errors with the {@link FileRefused} that explains it. Past the answer deadline, a 503
	 * {@link FileRefused} (the item still completes).
	 */
	Mono<Stored> await(String tenant, String batchId) {
		return Mono.defer(() -> statusService.batchEvents(tenant, batchId, ItemOutcomes::streamRefused))
			.flatMapMany(stream -> (stream.getBody() != null) ? stream.getBody() : Flux.<ServerSentEvent<String>>empty())
			.mapNotNull(ServerSentEvent::data)
			.<Stored>handle((data, sink) -> {
				JsonNode item = itemOf(json.readTree(data));
				if (item != null) {
					sink.next(outcomeOf(tenant, item));
				}
			})
			.next()
			// a stream that ended (the batch moved to another instance) or could not start is opened again
			.switchIfEmpty(Mono.error(() -> new IllegalStateException("the live progress ended early")))
			.retryWhen(Retry.fixedDelay(Long.MAX_VALUE, RECONNECT_DELAY).filter(ex -> !(ex instanceof FileRefused)))
			.timeout(properties.answerTimeout(), Mono.error(() -> {
				logger.info("Upload " + tenant + "/" + batchId + " not done within " + properties.answerTimeout()
						+ "; it completes in the background");
				return FileRefused.unavailable("The file is accepted and still being processed; it was not done in "
						+ properties.answerTimeout().toSeconds() + " s.", properties.retryAfter());
			}));
	}

	private static Mono<? extends Throwable> streamRefused(ClientResponse response) {
		return response.releaseBody()
			.then(Mono.just(new IllegalStateException("live progress answered " + response.statusCode().value())));
	}

	/** The batch's one item when it is done, else null. */
	private static JsonNode itemOf(JsonNode status) {
		for (JsonNode result : status.path("results")) {
			if (result.path("index").asInt(-1) == 0) {
				return result;
			}
		}
		return null;
	}

	private Stored outcomeOf(String tenant, JsonNode item) {
		if (!"TASK_SUCCEEDED".equals(item.path("status").asString(""))) {
			throw refusalOf(item.path("error_code").asString(""),
					item.path("error_message").asString("The file could not be processed."));
		}
		JsonNode image = item.path("image");
		String url = item.path("image_url").asString("");
		String contentType = image.path("content_type").asString("");
		String format = image.path("format").asString("");
		Optional<ImageFormat> imageFormat = format.isEmpty() ? Optional.empty() : ImageFormat.forExtension(format);
		String sha256 = image.path("sha256").asString("");
		String key = imageFormat.map(known -> ObjectKeys.original(tenant, sha256, known))
			.or(() -> DocumentFormat.forContentType(contentType).map(known -> ObjectKeys.document(tenant, sha256, known)))
			.orElseGet(() -> URI.create(url).getPath());
		Map<String, String> renditions = new LinkedHashMap<>();
		for (JsonNode rendition : image.path("renditions")) {
			renditions.put(rendition.path("name").asString(""), rendition.path("url").asString(""));
		}
		return new Stored(key, url, contentType, imageFormat.isPresent(), image.path("width").asInt(),
				image.path("height").asInt(), image.path("size").asLong(), image.path("md5").asString(""), renditions,
				processedAt(item));
	}

	private static FileRefused refusalOf(String code, String message) {
		ItemError error;
		try {
			error = ItemError.valueOf(code);
		}
		catch (IllegalArgumentException ex) {
			error = ItemError.PROCESSING_FAILED;
		}
		return switch (error) {
			case UNSUPPORTED_FORMAT -> new FileRefused(FileRefused.Reason.UNSUPPORTED_TYPE, message);
			case CORRUPT_IMAGE, UNSAFE_SVG -> new FileRefused(FileRefused.Reason.UNREADABLE, message);
			case TOO_LARGE, TOO_MANY_PIXELS -> new FileRefused(FileRefused.Reason.TOO_LARGE, message);
			default -> FileRefused.unavailable(message, Duration.ofSeconds(1));
		};
	}

	private static Previous previousOf(JsonNode asset) {
		Map<String, String> attributes = new LinkedHashMap<>();
		asset.path("attributes").properties().forEach(field -> attributes.put(field.getKey(), field.getValue().asString("")));
		return new Previous(instant(asset.path("createdAt")), instant(asset.path("updatedAt")), attributes);
	}

	/** An instant as Jackson writes it: ISO-8601 text, or seconds with a fraction. */
	private static Instant instant(JsonNode value) {
		if (value.isNumber()) {
			return Instant.ofEpochMilli(Math.round(value.asDouble() * 1000));
		}
		return Instant.parse(value.asString());
	}

	/** When the worker stored the item, as the catalogue dates it; null from a status-service without it. */
	private static Instant processedAt(JsonNode item) {
		String at = item.path("processed_at").asString("");
		try {
			return at.isEmpty() ? null : Instant.parse(at);
		}
		catch (java.time.format.DateTimeParseException ex) {
			return null;
		}
	}

}
