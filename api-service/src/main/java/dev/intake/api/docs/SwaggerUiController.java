package dev.intake.api.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import dev.intake.api.error.ApiProblem;
import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/docs}: Swagger UI for {@code /v1/openapi.yaml}, a page and its assets served from
 * the classpath (the {@code org.webjars:swagger-ui} jar) under {@code /v1/docs/}, so the page makes
 * no request to another origin. Only the assets named here are served. No authentication.
 */
@RestController
class SwaggerUiController {

	static final String PATH = "/v1/docs";

	/** Same origin only; Swagger UI's styles set inline style attributes and its icons are data: URLs. */
	private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
			+ "img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
			+ "frame-ancestors 'none'";

	private static final MediaType JAVASCRIPT = MediaType.parseMediaType("text/javascript;charset=UTF-8");

	private static final CacheControl ASSET_CACHE = CacheControl.maxAge(Duration.ofHours(1)).cachePublic();

	private final Resource page = new ClassPathResource("dev/intake/api/docs/swagger-ui.html");

	/** Asset name under {@code /v1/docs/} to its resource and type. */
	private final Map<String, Asset> assets;

	SwaggerUiController() {
		String webjar = "META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";
		this.assets = Map.of("swagger-ui.css", new Asset(new ClassPathResource(webjar + "swagger-ui.css"),
				MediaType.parseMediaType("text/css;charset=UTF-8")), "swagger-ui-bundle.js",
				new Asset(new ClassPathResource(webjar + "swagger-ui-bundle.js"), JAVASCRIPT),
				"swagger-ui-standalone-preset.js",
				new Asset(new ClassPathResource(webjar + "swagger-ui-standalone-preset.js"), JAVASCRIPT),
				"favicon-32x32.png", new Asset(new ClassPathResource(webjar + "favicon-32x32.png"), MediaType.IMAGE_PNG),
				"favicon-16x16.png", new Asset(new ClassPathResource(webjar + "favicon-16x16.png"), MediaType.IMAGE_PNG),
				"swagger-initializer.js",
				new Asset(new ClassPathResource("dev/intake/api/docs/swagger-initializer.js"), JAVASCRIPT));
		this.assets.values().forEach(asset -> {
			if (!asset.resource().exists()) {
				throw new IllegalStateException("Swagger UI asset missing from the classpath: " + asset.resource());
			}
		});
	}

	@GetMapping(PATH)
	Mono<ResponseEntity<Resource>> page() {
		return Mono.just(ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("text/html;charset=UTF-8"))
			.cacheControl(CacheControl.noCache())
			.header("Content-Security-Policy", POLICY)
			.header("X-Content-Type-Options", "nosniff")
			.body(page));
	}

	@GetMapping(PATH + "/{name}")
	Mono<ResponseEntity<Resource>> asset(@PathVariable String name) {
		Asset asset = assets.get(name);
		if (asset == null) {
			return Mono.error(ApiProblem.notFound());
		}
		return Mono.just(ResponseEntity.ok()
			.contentType(asset.type())
			.cacheControl(ASSET_CACHE)
			.header("X-Content-Type-Options", "nosniff")
			.body(asset.resource()));
	}

	/** The version of the Swagger UI webjar on the classpath, from its Maven metadata. */
	private static String webjarVersion() {
		Properties properties = new Properties();
		try (InputStream in = new ClassPathResource("META-INF/maven/org.webjars/swagger-ui/pom.properties")
			.getInputStream()) {
			properties.load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The org.webjars:swagger-ui jar is not on the classpath", ex);
		}
		return properties.getProperty("version");
	}

	private record Asset(Resource resource, MediaType type) {
	}

}
