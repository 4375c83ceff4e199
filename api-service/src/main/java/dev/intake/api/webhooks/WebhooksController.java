package dev.intake.api.webhooks;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.intake.api.auth.Tenant;
import dev.intake.api.error.ApiProblem;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code /v1/webhooks}: the tenant's webhook subscriptions ({@link WebhookSubscriptions}), scope
 * {@code webhooks:manage}. The tenant comes from the credential only. A body is JSON in UTF-8 (its
 * ASCII subset too), as RFC 8259 has it: one that says it is in another charset would be read
 * wrongly, so it is refused (415) like a body of another type.
 */
@RestController
@RequestMapping("/v1/webhooks")
class WebhooksController {

	/**
	 * A JSON merge patch (RFC 7396), which a PATCH may also be: read as the JSON body is, so a null
	 * keeps the value as a field left out does (RFC 7396 would remove the member), whichever the type.
	 */
	private static final String MERGE_PATCH_JSON = "application/merge-patch+json";

	private final WebhookSubscriptions subscriptions;

	WebhooksController(WebhookSubscriptions subscriptions) {
		this.subscriptions = subscriptions;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	Mono<ResponseEntity<WebhookAnswer>> create(@RequestBody(required = false) byte[] body,
			ServerWebExchange exchange) {
		return Mono.defer(() -> subscriptions.create(Tenant.of(exchange), read(body, exchange, "application/json")))
			.map(hook -> ResponseEntity.created(URI.create("/v1/webhooks/" + hook.id()))
				.body(WebhookAnswer.withSecret(hook)));
	}

	@GetMapping
	Mono<Map<String, List<WebhookAnswer>>> list(ServerWebExchange exchange) {
		return subscriptions.list(Tenant.of(exchange))
			.map(hooks -> Map.of("data", hooks.stream().map(WebhookAnswer::of).toList()));
	}

	@GetMapping("/{id}")
	Mono<WebhookAnswer> get(@PathVariable String id, ServerWebExchange exchange) {
		return subscriptions.get(Tenant.of(exchange), id).map(WebhookAnswer::of);
	}

	@PatchMapping(path = "/{id}", consumes = { MediaType.APPLICATION_JSON_VALUE, MERGE_PATCH_JSON })
	Mono<WebhookAnswer> update(@PathVariable String id, @RequestBody(required = false) byte[] body,
			ServerWebExchange exchange) {
		return Mono.defer(() -> subscriptions.update(Tenant.of(exchange), id,
				read(body, exchange, "application/json or " + MERGE_PATCH_JSON)))
			.map(WebhookAnswer::of);
	}

	@DeleteMapping("/{id}")
	Mono<ResponseEntity<Void>> delete(@PathVariable String id, ServerWebExchange exchange) {
		return subscriptions.delete(Tenant.of(exchange), id).then(Mono.just(ResponseEntity.noContent().build()));
	}

	@PostMapping("/{id}/rotate-secret")
	Mono<WebhookAnswer> rotateSecret(@PathVariable String id, ServerWebExchange exchange) {
		return subscriptions.rotateSecret(Tenant.of(exchange), id).map(WebhookAnswer::withSecret);
	}

	@PostMapping("/{id}/test")
	Mono<ResponseEntity<Map<String, String>>> test(@PathVariable String id, ServerWebExchange exchange) {
		return subscriptions.test(Tenant.of(exchange), id)
			.map(delivery -> ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("delivery_id", delivery)));
	}

	@GetMapping("/{id}/deliveries")
	Mono<Map<String, List<AttemptAnswer>>> deliveries(@PathVariable String id, ServerWebExchange exchange) {
		return subscriptions.deliveries(Tenant.of(exchange), id)
			.map(attempts -> Map.of("data", attempts.stream().map(AttemptAnswer::of).toList()));
	}

	@PostMapping("/{id}/deliveries/{deliveryId}/redeliver")
	Mono<ResponseEntity<Map<String, String>>> redeliver(@PathVariable String id, @PathVariable String deliveryId,
			ServerWebExchange exchange) {
		return subscriptions.redeliver(Tenant.of(exchange), id, deliveryId)
			.map(delivery -> ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("delivery_id", delivery)));
	}

	/** The request in the body, when it is in UTF-8; {@code types} names the media types the route takes. */
	private static WebhookRequest read(byte[] body, ServerWebExchange exchange, String types) {
		if (!inUtf8(exchange.getRequest().getHeaders())) {
			throw new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, HttpStatus.UNSUPPORTED_MEDIA_TYPE.value(),
					"The request must be " + types + " (in UTF-8).");
		}
		return WebhookRequest.parse(body);
	}

	private static boolean inUtf8(HttpHeaders headers) {
		try {
			MediaType type = headers.getContentType();
			Charset charset = (type != null) ? type.getCharset() : null;
			return charset == null || charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII);
		}
		catch (IllegalArgumentException ex) {
			// a malformed type, or a charset Java does not know (the route's consumes refuses them first)
			return false;
		}
	}

}
