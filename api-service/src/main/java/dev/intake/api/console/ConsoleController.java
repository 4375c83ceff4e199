package dev.intake.api.console;

import java.time.Duration;
import java.util.Map;

import dev.intake.api.error.ApiProblem;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The web console: {@code GET /} and {@code GET /console} serve its page, {@code /console/{asset}}
 * its script, style sheet and icon, all from the classpath ({@code dev/intake/api/console/}). No
 * authentication: the page holds no data; it calls the API with the key the person pastes. The
 * page's Content-Security-Policy allows scripts, styles and requests to its own origin only (images
 * also from {@code intake.console.image-origins}), no frames, no forms posting elsewhere, no plugins.
 */
@RestController
@EnableConfigurationProperties(ConsoleProperties.class)
class ConsoleController {

	static final String PATH = "/console";

	private static final CacheControl ASSET_CACHE = CacheControl.noCache();

	private final Resource page = new ClassPathResource("dev/intake/api/console/console.html");

	/** Asset name under {@code /console/} to its resource and type; nothing else is served. */
	private final Map<String, Asset> assets = Map.of("console.js",
			asset("console.js", MediaType.parseMediaType("text/javascript;charset=UTF-8")), "console.css",
			asset("console.css", MediaType.parseMediaType("text/css;charset=UTF-8")), "icon.svg",
			asset("icon.svg", MediaType.parseMediaType("image/svg+xml")));

	private final String policy;

	ConsoleController(ConsoleProperties properties) {
		this.policy = policy(properties);
		if (!page.exists()) {
			throw new IllegalStateException("Console page missing from the classpath: " + page);
		}
		assets.values().forEach(asset -> {
			if (!asset.resource().exists()) {
				throw new IllegalStateException("Console asset missing from the classpath: " + asset.resource());
			}
		});
	}

	/** Self only: no inline code, no eval, no frames; images also from the configured image origins. */
	static String policy(ConsoleProperties properties) {
		String images = String.join(" ", properties.sources());
		return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'"
				+ (images.isEmpty() ? "" : " " + images)
				+ "; connect-src 'self'; manifest-src 'none'; base-uri 'none'; form-action 'none'; "
				+ "frame-ancestors 'none'";
	}

	@GetMapping({ "/", PATH })
	Mono<ResponseEntity<Resource>> page() {
		return Mono.just(ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("text/html;charset=UTF-8"))
			.cacheControl(CacheControl.noCache())
			.header("Content-Security-Policy", policy)
			.header("X-Content-Type-Options", "nosniff")
			.header("Referrer-Policy", "no-referrer")
			.header("Cross-Origin-Opener-Policy", "same-origin")
			.header("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
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
			.header("Content-Security-Policy", policy)
			.header("X-Content-Type-Options", "nosniff")
			.body(asset.resource()));
	}

	private static Asset asset(String name, MediaType type) {
		return new Asset(new ClassPathResource("dev/intake/api/console/" + name), type);
	}

	private record Asset(Resource resource, MediaType type) {
	}

}
