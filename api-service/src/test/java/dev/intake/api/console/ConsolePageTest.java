package dev.intake.api.console;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The web console's page and assets as served: public for reads, same-origin references only, a
 * Content-Security-Policy that allows this origin only, and nothing but the named assets. Its
 * behaviour in a browser is {@code ConsoleBrowserTest} in the local module.
 */
@ApiServiceTest
class ConsolePageTest {

	private static final Pattern REFERENCE = Pattern.compile("(?:src|href)\\s*=\\s*\"([^\"]*)\"");

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
	void pageIsServedAtTheRootAndAtConsoleWithoutACredential() {
		for (String path : List.of("/", "/console")) {
			String html = client.get()
				.uri(path)
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.TEXT_HTML)
				.expectHeader()
				.valueEquals("Content-Security-Policy", ConsoleController.policy(new ConsoleProperties(null)))
				.expectHeader()
				.valueEquals("X-Content-Type-Options", "nosniff")
				.expectHeader()
				.valueEquals("Referrer-Policy", "no-referrer")
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			assertThat(html).contains("<title>Intake console</title>", "<label for=\"api-key\">");
		}
	}

	@Test
	void policyAllowsThisOriginOnly() {
		String policy = ConsoleController.policy(new ConsoleProperties(null));
		assertThat(policy).contains("default-src 'none'", "script-src 'self';", "style-src 'self';",
				"connect-src 'self';", "img-src 'self';", "frame-ancestors 'none'", "form-action 'none'",
				"base-uri 'none'");
		assertThat(policy).doesNotContain("unsafe", "http:", "https:", "data:", "*");
	}

	@Test
	void configuredImageOriginsAreAddedToImagesOnly() {
		String policy = ConsoleController.policy(new ConsoleProperties(
				List.of(URI.create("https://CDN.example.com"), URI.create("http://127.0.0.1:9000/"))));
		assertThat(policy).contains("img-src 'self' https://cdn.example.com http://127.0.0.1:9000;", "connect-src 'self';",
				"script-src 'self';");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ConsoleProperties(List.of(URI.create("https://cdn.example.com/i/"))));
		assertThatIllegalArgumentException().isThrownBy(() -> new ConsoleProperties(List.of(URI.create("*"))));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ConsoleProperties(List.of(URI.create("javascript:alert(1)"))));
	}

	@Test
	void pageReferencesOnlySameOriginAssetsThatLoadWithoutInlineCode() {
		String html = client.get().uri("/console").exchange().expectBody(String.class).returnResult().getResponseBody();
		assertThat(html).doesNotContainIgnoringCase("http:")
			.doesNotContainIgnoringCase("https:")
			.doesNotContainIgnoringCase("style=")
			.doesNotContainPattern("(?i)\\son[a-z]+\\s*=")
			.doesNotContainPattern("<script>|<style");
		List<String> references = new ArrayList<>();
		Matcher matcher = REFERENCE.matcher(html);
		while (matcher.find()) {
			references.add(matcher.group(1));
		}
		assertThat(references).contains("/console/console.js", "/console/console.css", "/console/icon.svg");
		for (String reference : references) {
			if (reference.equals("#main") || reference.equals("/v1/docs")) {
				continue;
			}
			assertThat(reference).as("same-origin path").startsWith("/console/");
			byte[] body = client.get()
				.uri(reference)
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.valueEquals("X-Content-Type-Options", "nosniff")
				.expectBody()
				.returnResult()
				.getResponseBody();
			assertThat(body).as(reference).isNotEmpty();
		}
		String script = new String(client.get().uri("/console/console.js").exchange().expectBody().returnResult()
			.getResponseBody(), StandardCharsets.UTF_8);
		assertThat(script).as("requests go to this origin only")
			.doesNotContain("http://", "https://", "eval(", "innerHTML", "new Function");
	}

	@Test
	void onlyTheNamedAssetsAreServed() {
		client.get().uri("/console/console.html").exchange().expectStatus().isNotFound();
		client.get().uri("/console/ConsoleController.class").exchange().expectStatus().isNotFound();
		client.get().uri("/console/../api-service.yml").exchange().expectStatus().value(status ->
				assertThat(status).isIn(400, 401, 404));
	}

	@Test
	void onlyReadsArePublic() {
		client.post().uri("/").exchange().expectStatus().isUnauthorized();
		client.post().uri("/console").exchange().expectStatus().isUnauthorized();
		client.post()
			.uri("/console")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isEqualTo(405);
		client.get().uri("/v1/batch-upload/status/any").exchange().expectStatus().isUnauthorized();
	}

}
