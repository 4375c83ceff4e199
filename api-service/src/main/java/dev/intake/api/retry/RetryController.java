package dev.intake.api.retry;

import dev.intake.api.auth.Tenant;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code POST /v1/batch-upload/{batch_id}/retry}: runs the caller's batch's failed items again
 * (see {@link BatchRetry}); 202 with the submit answer's shape. The tenant comes from the
 * credential only, resolved once here as in the other controllers.
 */
@RestController
class RetryController {

	private final BatchRetry retry;

	RetryController(BatchRetry retry) {
		this.retry = retry;
	}

	@PostMapping({ "/v1/batch-upload/{batchId}/retry", "/api/vdr/batch-upload/{batchId}/retry" })
	Mono<ResponseEntity<RetryResponse>> retry(@PathVariable String batchId, ServerWebExchange exchange) {
		String tenant = Tenant.of(exchange);
		return retry.retry(tenant, batchId).map(answer -> ResponseEntity.status(HttpStatus.ACCEPTED).body(answer));
	}

}
