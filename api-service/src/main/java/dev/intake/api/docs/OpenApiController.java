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
 * Intake's extensions to the bach.art batch-upload API. No authentication.
 */
@RestController
class OpenApiController {

	static final String PATH = "/v1/openapi.yaml";

	private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

	private final Resource description = new ClassPathResource("dev/intake/api/docs/openapi.yaml");

	@GetMapping(PATH)
	Mono<ResponseEntity<Resource>> openApi() {
		return Mono.just(ResponseEntity.ok().contentType(YAML).body(description));
	}

}
