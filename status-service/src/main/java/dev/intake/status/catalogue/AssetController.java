package dev.intake.status.catalogue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import dev.intake.contracts.ApiError;
import dev.intake.contracts.AssetIds;
import dev.intake.contracts.BatchKey;
import dev.intake.contracts.Topics;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The internal asset look-up the api-service calls after authenticating the client (the tenant
 * comes from the verified credential), in the envelope of the internal batch status: 200
 * {@code {"code":200,"message":"success","data":{Asset}}} with the asset as it is on
 * {@code intake.assets}; 404 with code {@value #NOT_FOUND_CODE} for an asset that does not exist
 * for the tenant (or an id that cannot be one); 503 with code 1500 and {@code Retry-After} when it
 * cannot be told yet. {@code ?batch=} names the upload whose stored file the answer must reflect.
 */
@RestController
class AssetController {

	static final String PATH = "/internal/tenants/{tenant}/assets/{id}";

	static final String BATCH_PARAM = "batch";

	/** Unknown asset, or one of another tenant. */
	static final int NOT_FOUND_CODE = 1206;

	static final String RETRY_AFTER_SECONDS = "1";

	private static final byte[] NOT_FOUND = ("{\"code\":" + NOT_FOUND_CODE
			+ ",\"message\":\"Asset does not exist.\"}").getBytes(StandardCharsets.UTF_8);

	private static final byte[] UNAVAILABLE = ("{\"code\":" + ApiError.UNAVAILABLE
			+ ",\"message\":\"The asset catalogue is temporarily unavailable, please retry.\"}")
		.getBytes(StandardCharsets.UTF_8);

	private static final byte[] FOUND_OPEN = "{\"code\":200,\"message\":\"success\",\"data\":"
		.getBytes(StandardCharsets.UTF_8);

	/** Longest id: {@link AssetIds#MAX} has 16 digits. */
	private static final int MAX_ID_DIGITS = 16;

	private static final Log logger = LogFactory.getLog(AssetController.class);

	private final AssetLookup lookup;

	AssetController(AssetLookup lookup) {
		this.lookup = lookup;
	}

	@GetMapping(PATH)
	Mono<ResponseEntity<byte[]>> asset(@PathVariable String tenant, @PathVariable String id,
			@RequestParam(name = BATCH_PARAM, required = false) String batchId,
			@RequestHeader(name = PeerRelay.FORWARDED_HEADER, required = false) String forwarded) {
		long assetId = parseId(id);
		if (!BatchKey.TENANT.matcher(tenant).matches() || assetId < 1
				|| (batchId != null && !BatchKey.isValidBatchId(batchId))) {
			return Mono.just(notFound());
		}
		return lookup.find(tenant, assetId, batchId, forwarded != null)
			.map(AssetController::toResponse)
			.onErrorResume(ex -> {
				logger.warn("Look-up of asset " + tenant + "/" + id + " failed", ex);
				return Mono.just(unavailable());
			});
	}

	/** The id, or 0 when the text cannot be one. */
	static long parseId(String text) {
		if (text.isEmpty() || text.length() > MAX_ID_DIGITS || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
			return 0;
		}
		long id = Long.parseLong(text);
		return (id <= AssetIds.MAX) ? id : 0;
	}

	static ResponseEntity<byte[]> toResponse(AssetAnswer answer) {
		if (answer instanceof AssetAnswer.Found found) {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			body.writeBytes(FOUND_OPEN);
			body.writeBytes(Topics.ASSETS.valueSerde().serializer().serialize(Topics.ASSETS.name(), found.asset()));
			body.write('}');
			return json(HttpStatus.OK).body(body.toByteArray());
		}
		if (answer instanceof AssetAnswer.Relayed relayed) {
			ResponseEntity.BodyBuilder builder = json(HttpStatus.valueOf(relayed.status()));
			if (relayed.retryAfter() != null) {
				builder.header(HttpHeaders.RETRY_AFTER, relayed.retryAfter());
			}
			return builder.body(relayed.body());
		}
		if (answer instanceof AssetAnswer.NotFound) {
			return notFound();
		}
		return unavailable();
	}

	private static ResponseEntity<byte[]> notFound() {
		return json(HttpStatus.NOT_FOUND).body(NOT_FOUND);
	}

	private static ResponseEntity<byte[]> unavailable() {
		return json(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(UNAVAILABLE);
	}

	private static ResponseEntity.BodyBuilder json(HttpStatus status) {
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
	}

}
