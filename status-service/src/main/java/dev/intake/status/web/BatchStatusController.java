package dev.intake.status.web;

import dev.intake.contracts.ApiError;
import dev.intake.contracts.ApiResponse;
import dev.intake.contracts.BatchKey;
import dev.intake.contracts.InternalApi;
import dev.intake.status.lookup.BatchStatusQuery;
import dev.intake.status.lookup.PeerForwarder;
import dev.intake.status.lookup.StatusAnswer;
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
 * The internal status endpoint the api-service calls after authenticating the client; the
 * tenant in the path comes from the verified credential. Answers in the bach.art API's format: 200 with
 * the batch, 404 with code 1203 for a batch that does not exist for the tenant (or an id that
 * cannot be one), 503 with code 1500 and {@code Retry-After} when the status cannot be told yet.
 */
@RestController
class BatchStatusController {

	static final String PATH = InternalApi.BATCH_STATUS;

	static final String RETRY_AFTER_SECONDS = "1";

	static final String UNAVAILABLE_MESSAGE = "Batch status is temporarily unavailable, please retry.";

	private static final Log logger = LogFactory.getLog(BatchStatusController.class);

	private final BatchStatusQuery query;

	BatchStatusController(BatchStatusQuery query) {
		this.query = query;
	}

	@GetMapping(PATH)
	Mono<ResponseEntity<Object>> status(@PathVariable String tenant, @PathVariable String batchId,
			@RequestHeader(name = PeerForwarder.FORWARDED_HEADER, required = false) String forwarded) {
		if (!BatchKey.TENANT.matcher(tenant).matches() || !BatchKey.isValidBatchId(batchId)) {
			return Mono.just(notFound());
		}
		return query.find(new BatchKey(tenant, batchId), forwarded != null)
			.map(BatchStatusController::toResponse)
			.onErrorResume(ex -> {
				logger.warn("Status look-up of " + tenant + "/" + batchId + " failed", ex);
				return Mono.just(unavailable());
			});
	}

	static ResponseEntity<Object> toResponse(StatusAnswer answer) {
		if (answer instanceof StatusAnswer.Found found) {
			return json(HttpStatus.OK).body(ApiResponse.success(found.batch()));
		}
		if (answer instanceof StatusAnswer.Rendered rendered) {
			// a GET whose If-None-Match holds this tag is answered 304 without the body (Spring's check)
			return json(HttpStatus.OK).eTag(rendered.etag()).body(rendered.json());
		}
		if (answer instanceof StatusAnswer.Relayed relayed) {
			return ResponseEntity.status(relayed.status()).headers(relayed.headers()).body(relayed.body());
		}
		if (answer instanceof StatusAnswer.NotFound) {
			return notFound();
		}
		return unavailable();
	}

	static ResponseEntity<Object> notFound() {
		return json(HttpStatus.NOT_FOUND).body(ApiResponse.error(ApiError.BATCH_NOT_FOUND, ApiError.BATCH_NOT_FOUND_MESSAGE));
	}

	static ResponseEntity<Object> unavailable() {
		return json(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(ApiResponse.error(ApiError.UNAVAILABLE, UNAVAILABLE_MESSAGE));
	}

	private static ResponseEntity.BodyBuilder json(HttpStatus status) {
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
	}

}
