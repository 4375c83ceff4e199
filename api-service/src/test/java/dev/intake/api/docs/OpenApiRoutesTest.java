package dev.intake.api.docs;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.reactive.handler.AbstractUrlHandlerMapping;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.pattern.PathPattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code openapi.yaml} against the routes the running api-service serves: every handler-method
 * route (method and path pattern, as the handler mappings hold them) is documented, and every
 * documented operation is routed to a handler method and answers a real request with neither 404
 * from routing nor 405. A route added without its documentation fails here.
 */
@ApiServiceTest
class OpenApiRoutesTest {

	/** Path prefixes served but deliberately not in the API description, with the reason. */
	private static final Map<String, String> UNDOCUMENTED_PREFIXES = Map.of("/actuator",
			"Spring Boot Actuator's management endpoints (health probes, info, prometheus), described by Spring Boot");

	/** Exact routes served but not in the API description: pages for people, not API operations. */
	private static final Map<String, String> UNDOCUMENTED_ROUTES = Map.of("GET /",
			"the web console's page (also at /console); it calls the documented routes", "GET /console",
			"the web console's page", "GET /console/{name}", "the web console's script, style sheet and icon");

	/** Static-resource patterns (Spring Boot's defaults) that hold no API route, with the reason. */
	private static final Map<String, String> STATIC_RESOURCE_PATTERNS = Map.of("/webjars/**",
			"Spring Boot's default mapping of classpath webjars; /v1/docs serves the Swagger UI assets itself", "/**",
			"Spring Boot's default static-resource mapping (classpath static/, public/); holds no API route");

	private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
			"trace");

	private static final Pattern VARIABLE = Pattern.compile("\\{[^}]*}");

	@Autowired
	ApplicationContext context;

	@LocalServerPort
	int port;

	WebTestClient client;

	@BeforeEach
	void client() {
		client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	@Test
	void everyServedRouteIsDocumented() throws IOException {
		Set<String> documented = new TreeSet<>();
		documented().forEach((operation, contentType) -> documented.add(normalized(operation)));
		Set<String> undocumented = new TreeSet<>();
		for (String route : servedRoutes()) {
			if (!documented.contains(normalized(route))) {
				undocumented.add(route);
			}
		}
		assertThat(undocumented).as("routes served but missing from openapi.yaml (document them, or exclude a "
				+ "prefix or a route with its reason in UNDOCUMENTED_PREFIXES or UNDOCUMENTED_ROUTES)").isEmpty();
	}

	/** The served AsyncAPI description resolves from the server alone: each payload's schema is served beside it. */
	@Test
	void everySchemaTheAsyncApiDescriptionRefersToIsServed() {
		String description = new String(client.get().uri("/v1/asyncapi.yaml").exchange().expectStatus().isOk()
			.expectBody().returnResult().getResponseBody(), java.nio.charset.StandardCharsets.UTF_8);
		java.util.regex.Matcher reference = java.util.regex.Pattern.compile("\\$ref: '([^'#]+)'").matcher(description);
		List<String> references = new java.util.ArrayList<>();
		while (reference.find()) {
			references.add(reference.group(1));
		}
		assertThat(references).hasSize(6).allMatch(ref -> ref.startsWith("schemas/"));
		for (String ref : references) {
			client.get().uri("/v1/" + ref).exchange().expectStatus().isOk()
				.expectHeader().contentType("application/schema+json")
				.expectBody().jsonPath("$.$schema").exists();
		}
		client.get().uri("/v1/schemas/nothing.v1.json").exchange().expectStatus().isNotFound();
		client.get().uri("/v1/schemas/Item.json").exchange().expectStatus().isNotFound();
	}

	@Test
	void servedRoutesAreFound() {
		// guards the collection itself: a route of each kind must be among those collected
		assertThat(servedRoutes()).contains("POST /v1/batch-upload/submit", "GET /i/{*key}", "HEAD /i/{*key}",
				"GET /v1/docs", "POST /attachment/upload");
		// the console's routes are collected, then left out only by their exact names
		assertThat(servedRoutes(false)).containsAll(UNDOCUMENTED_ROUTES.keySet());
		assertThat(servedRoutes()).doesNotContainAnyElementsOf(UNDOCUMENTED_ROUTES.keySet());
	}

	@Test
	void noRouteIsServedOutsideTheHandlerMethods() {
		for (RouterFunctionMapping mapping : context.getBeansOfType(RouterFunctionMapping.class).values()) {
			assertThat(mapping.getRouterFunction())
				.as("functional routes are not collected by this test; map routes with @RequestMapping or extend it")
				.isNull();
		}
		for (AbstractUrlHandlerMapping mapping : context.getBeansOfType(AbstractUrlHandlerMapping.class).values()) {
			for (PathPattern pattern : mapping.getHandlerMap().keySet()) {
				assertThat(STATIC_RESOURCE_PATTERNS).as("URL handler mapping %s", pattern)
					.containsKey(pattern.getPatternString());
			}
		}
	}

	@Test
	void everyDocumentedOperationIsRoutedAndAnswers() throws IOException {
		List<HandlerMapping> mappings = context.getBean(DispatcherHandler.class).getHandlerMappings();
		assertThat(mappings).isNotNull();
		Map<String, String> documented = documented();
		assertThat(documented).hasSizeGreaterThan(10);
		documented.forEach((operation, contentType) -> {
			String method = operation.substring(0, operation.indexOf(' '));
			String path = example(operation.substring(operation.indexOf(' ') + 1));
			MockServerHttpRequest.BodyBuilder request = MockServerHttpRequest.method(HttpMethod.valueOf(method), path);
			if (contentType != null) {
				request.header("Content-Type", contentType);
			}
			Object handler;
			try {
				handler = Flux.fromIterable(mappings)
					.concatMap(mapping -> mapping.getHandler(MockServerWebExchange.from(request)))
					.next()
					.block(Duration.ofSeconds(10));
			}
			catch (ResponseStatusException ex) {
				throw new AssertionError(operation + " is documented but routing answers " + ex.getStatusCode(), ex);
			}
			assertThat(handler).as("%s is documented but routed to no handler method", operation)
				.isInstanceOf(HandlerMethod.class);

			WebTestClient.RequestBodySpec call = client.method(HttpMethod.valueOf(method))
				.uri(path)
				.header("Authorization", "Bearer " + TestServers.TOKEN);
			if (contentType != null) {
				call.header("Content-Type", contentType);
			}
			int status = call.exchange().returnResult(byte[].class).getStatus().value();
			assertThat(status).as("%s %s answers", method, path).isNotEqualTo(405).isNotIn(500, 501, 502);
		});
	}

	/** "METHOD /path" of every documented operation (path-item {@code $ref}s followed), to its request content type. */
	private static Map<String, String> documented() throws IOException {
		Map<String, Object> document;
		try (InputStream in = new ClassPathResource("dev/intake/api/docs/openapi.yaml").getInputStream()) {
			document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
		}
		Map<String, Object> paths = map(document.get("paths"));
		Map<String, String> operations = new TreeMap<>();
		paths.forEach((path, item) -> {
			Map<String, Object> pathItem = map(item);
			if (pathItem.get("$ref") instanceof String ref) {
				assertThat(ref).startsWith("#/paths/");
				String target = ref.substring("#/paths/".length()).replace("~1", "/").replace("~0", "~");
				pathItem = map(paths.get(target));
				assertThat(pathItem).as("target of %s", ref).isNotNull();
			}
			pathItem.forEach((key, operation) -> {
				if (HTTP_METHODS.contains(key)) {
					operations.put(key.toUpperCase() + " " + path, contentType(map(operation)));
				}
			});
		});
		return operations;
	}

	private static String contentType(Map<String, Object> operation) {
		Map<String, Object> body = map(operation.get("requestBody"));
		if (body == null) {
			return null;
		}
		return map(body.get("content")).keySet().iterator().next();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	/** "METHOD pattern" of every handler-method route served, but for the excluded prefixes and routes. */
	private List<String> servedRoutes() {
		return servedRoutes(true);
	}

	private List<String> servedRoutes(boolean withoutExcludedRoutes) {
		List<String> routes = new ArrayList<>();
		for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class)
			.values()) {
			for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
				for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
					String path = pattern.getPatternString();
					if (UNDOCUMENTED_PREFIXES.keySet().stream().anyMatch(path::startsWith)) {
						continue;
					}
					if (info.getMethodsCondition().getMethods().isEmpty()) {
						fail(path + " answers every method; give its mapping the methods it serves");
					}
					info.getMethodsCondition()
						.getMethods()
						.stream()
						.map(method -> method.name() + " " + path)
						.filter(route -> !withoutExcludedRoutes || !UNDOCUMENTED_ROUTES.containsKey(route))
						.forEach(routes::add);
				}
			}
		}
		return routes;
	}

	/** The operation with path variables written alike ({@code {batchId}}, {@code {batch_id}}, {@code {*key}}). */
	private static String normalized(String operation) {
		return VARIABLE.matcher(operation).replaceAll("{}");
	}

	/** A concrete path for a documented one: each variable replaced by an example value. */
	private static String example(String path) {
		return path.replace("{key}", "images/local/0123456789abcdef.png")
			.replace("{asset}", "swagger-ui.css")
			.replace("{batch_id}", "no-such-batch")
			.replace("{namespace}", "rewards")
			.replace("{filename}", "no-such-file.png")
			.replace("{tenant}", "local")
			.replace("{acl}", "private")
			.replace("{file}", "00000000-0000-0000-0000-000000000000.png")
			.replace("{handle}", "00000000-0000-0000-0000-000000000000")
			.replace("{rendition}", "thumb.jpg")
			.replace("{id}", "wh_none")
			.replace("{delivery_id}", "msg_none")
			.replace("{name}", "item.stored.v1.json");
	}

}
