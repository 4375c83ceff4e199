package dev.intake.api.status;

import dev.intake.api.auth.Tenant;
import reactor.core.publisher.Mono;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code GET /v1/batch-upload/status/{batch_id}}: the caller's batch, from the status-service;
 * {@code GET /v1/batch-upload/status/{batch_id}/events}: its live progress as Server-Sent Events.
 */
@RestController
class BatchStatusController {

	private final BatchStatusRelay relay;

	private final BatchEventsRelay events;

	BatchStatusController(BatchStatusRelay relay, BatchEventsRelay events) {
		this.relay = relay;
		this.events = events;
	}

	@GetMapping({ "/v1/batch-upload/status/{batchId}", "/api/vdr/batch-upload/status/{batchId}" })
	Mono<ResponseEntity<byte[]>> status(@PathVariable String batchId, ServerWebExchange exchange) {
		return relay.status(Tenant.of(exchange), batchId);
	}

	@GetMapping({ "/v1/batch-upload/status/{batchId}/events", "/api/vdr/batch-upload/status/{batchId}/events" })
	Mono<ResponseEntity<?>> events(@PathVariable String batchId, ServerWebExchange exchange) {
		return events.events(Tenant.of(exchange), batchId);
	}

}
