package dev.intake.api.docs;

import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/openapi.yaml}: the hand-written OpenAPI description of the public API, including
 * Intake's extensions to the bach.art batch-upload API; {@code GET /v1/asyncapi.yaml}: the
 * AsyncAPI description of the events on {@code intake.events} ({@code docs/asyncapi.yaml}). No
 * authentication.
 */
@RestController
class OpenApiController {

	static final String PATH = "/v1/openapi.yaml";

	static final String ASYNC_API_PATH = "/v1/asyncapi.yaml";

	private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

	private final Resource description = new ClassPathResource("dev/intake/api/docs/openapi.yaml");

	private final Resource events = new ClassPathResource("dev/intake/api/docs/asyncapi.yaml");

	@GetMapping(PATH)
	Mono<ResponseEntity<Resource>> openApi() {
		return Mono.just(ResponseEntity.ok().contentType(YAML).body(description));
	}

	@GetMapping(ASYNC_API_PATH)
	Mono<ResponseEntity<Resource>> asyncApi() {
		return Mono.just(ResponseEntity.ok().contentType(YAML).body(events));
	}

}
