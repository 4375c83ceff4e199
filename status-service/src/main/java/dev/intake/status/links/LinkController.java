package dev.intake.status.links;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import dev.intake.contracts.ApiError;
import dev.intake.contracts.AssetIds;
import dev.intake.contracts.BatchKey;
import dev.intake.contracts.InternalApi;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The internal look-up of a nursery batch's links ({@link InternalApi#NURSERY_LINKS}), called by
 * the api-service after authenticating the client (the tenant comes from the verified credential):
 * 200 {@code {"code":200,"message":"success","data":{"links":[…]}}} in link order, an empty list
 * for a batch nothing was linked to; 400 with code 1000 for ids that cannot be ones; 503 with code
 * 1500 and {@code Retry-After} when it cannot be told yet.
 */
@RestController
class LinkController {

	static final String PATH = InternalApi.NURSERY_LINKS;

	static final String RETRY_AFTER_SECONDS = "1";

	/** Longest id: {@link AssetIds#MAX} has 16 digits. */
	private static final int MAX_ID_DIGITS = 16;

	private static final byte[] BAD_REQUEST = ("{\"code\":" + ApiError.INVALID_REQUEST
			+ ",\"message\":\"Invalid nursery or batch id.\"}").getBytes(StandardCharsets.UTF_8);

	private static final byte[] UNAVAILABLE = ("{\"code\":" + ApiError.UNAVAILABLE
			+ ",\"message\":\"The nursery links are temporarily unavailable, please retry.\"}")
		.getBytes(StandardCharsets.UTF_8);

	private static final byte[] FOUND_OPEN = "{\"code\":200,\"message\":\"success\",\"data\":"
		.getBytes(StandardCharsets.UTF_8);

	private static final Log logger = LogFactory.getLog(LinkController.class);

	private final LinkLookup lookup;

	LinkController(LinkLookup lookup) {
		this.lookup = lookup;
	}

	@GetMapping(PATH)
	Mono<ResponseEntity<byte[]>> links(@PathVariable String tenant, @PathVariable String nurseryId,
			@PathVariable String batchId,
			@RequestHeader(name = PeerRelay.FORWARDED_HEADER, required = false) String forwarded) {
		long nursery = parseId(nurseryId);
		long batch = parseId(batchId);
		if (!BatchKey.TENANT.matcher(tenant).matches() || nursery < 0 || batch < 0) {
			return Mono.just(json(HttpStatus.BAD_REQUEST).body(BAD_REQUEST));
		}
		return lookup.find(tenant, nursery, batch, forwarded != null)
			.map(LinkController::toResponse)
			.onErrorResume(ex -> {
				logger.warn("Look-up of nursery batch " + tenant + "/" + nursery + "/" + batch + " failed", ex);
				return Mono.just(unavailable());
			});
	}

	/** The id (0 to 2^53 - 1), or -1 when the text cannot be one. */
	static long parseId(String text) {
		if (text.isEmpty() || text.length() > MAX_ID_DIGITS || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
			return -1;
		}
		long id = Long.parseLong(text);
		return (id <= AssetIds.MAX) ? id : -1;
	}

	static ResponseEntity<byte[]> toResponse(LinkAnswer answer) {
		if (answer instanceof LinkAnswer.Found found) {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			body.writeBytes(FOUND_OPEN);
			body.writeBytes(NurseryLinksTopology.BATCH_SERDE.serializer().serialize(PATH, found.batch()));
			body.write('}');
			return json(HttpStatus.OK).body(body.toByteArray());
		}
		if (answer instanceof LinkAnswer.Relayed relayed) {
			ResponseEntity.BodyBuilder builder = json(HttpStatus.valueOf(relayed.status()));
			if (relayed.retryAfter() != null) {
				builder.header(HttpHeaders.RETRY_AFTER, relayed.retryAfter());
			}
			return builder.body(relayed.body());
		}
		return unavailable();
	}

	private static ResponseEntity<byte[]> unavailable() {
		return json(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(UNAVAILABLE);
	}

	private static ResponseEntity.BodyBuilder json(HttpStatus status) {
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
	}

}
