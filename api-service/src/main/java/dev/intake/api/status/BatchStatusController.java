package dev.intake.api.status;

import dev.intake.api.auth.Tenant;
import reactor.core.publisher.Mono;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/** {@code GET /v1/batch-upload/status/{batch_id}}: the caller's batch, from the status-service. */
@RestController
class BatchStatusController {

	private final BatchStatusRelay relay;

	BatchStatusController(BatchStatusRelay relay) {
		this.relay = relay;
	}

	@GetMapping("/v1/batch-upload/status/{batchId}")
	Mono<ResponseEntity<byte[]>> status(@PathVariable String batchId, ServerWebExchange exchange) {
		return relay.status(Tenant.of(exchange), batchId);
	}

}
