package dev.intake.api.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import dev.intake.api.error.ApiProblem;
import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/openapi.yaml}: the hand-written OpenAPI description of the public API, including
 * Intake's extensions to the bach.art batch-upload API; {@code GET /v1/asyncapi.yaml}: the
 * AsyncAPI description of the events on {@code intake.events} ({@code docs/asyncapi.yaml}), its
 * payloads' references pointing at {@code GET /v1/schemas/{name}}, which serves the JSON Schemas
 * of the events, so AsyncAPI tools resolve the description from the server alone. No
 * authentication.
 */
@RestController
class OpenApiController {

	static final String PATH = "/v1/openapi.yaml";

	static final String ASYNC_API_PATH = "/v1/asyncapi.yaml";

	private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

	private final Resource description = new ClassPathResource("dev/intake/api/docs/openapi.yaml");

	static final String SCHEMAS_PATH = "/v1/schemas/{name}";

	/** How docs/asyncapi.yaml refers to the schemas, from the repository. */
	private static final String SCHEMAS_IN_REPOSITORY = "../contracts/src/main/resources/schemas/";

	/** A schema's name: the event type's last parts and its version, e.g. {@code item.stored.v1.json}. */
	private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z]+(\\.[a-z]+)*\\.v[0-9]+\\.json");

	private static final MediaType SCHEMA_JSON = MediaType.parseMediaType("application/schema+json");

	/** The AsyncAPI description as served: its references resolve against this route. */
	private final byte[] events = served(new ClassPathResource("dev/intake/api/docs/asyncapi.yaml"));

	@GetMapping(PATH)
	Mono<ResponseEntity<Resource>> openApi() {
		return Mono.just(ResponseEntity.ok().contentType(YAML).body(description));
	}

	@GetMapping(ASYNC_API_PATH)
	Mono<ResponseEntity<byte[]>> asyncApi() {
		return Mono.just(ResponseEntity.ok().contentType(YAML).body(events));
	}

	@GetMapping(SCHEMAS_PATH)
	Mono<ResponseEntity<Resource>> schema(@PathVariable String name) {
		Resource schema = new ClassPathResource("schemas/" + name);
		if (!SCHEMA_NAME.matcher(name).matches() || !schema.exists()) {
			return Mono.error(ApiProblem.notFound());
		}
		return Mono.just(ResponseEntity.ok().contentType(SCHEMA_JSON).body(schema));
	}

	private static byte[] served(Resource description) {
		try {
			String text = description.getContentAsString(StandardCharsets.UTF_8);
			return text.replace(SCHEMAS_IN_REPOSITORY, "schemas/").getBytes(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
