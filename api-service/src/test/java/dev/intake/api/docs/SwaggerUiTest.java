package dev.intake.api.docs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.intake.api.ApiServiceTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /v1/docs}: the Swagger UI page, without a credential, referencing only assets of this
 * origin, each of which loads.
 */
@ApiServiceTest
class SwaggerUiTest {

	private static final Pattern REFERENCE = Pattern.compile("(?:src|href)\\s*=\\s*\"([^\"]*)\"");

	@LocalServerPort
	int port;

	WebTestClient client;

	@BeforeEach
	void client() {
		client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			// the Swagger UI bundle is about 1.7 MB
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024))
			.build();
	}

	@Test
	void pageReferencesOnlySameOriginAssetsThatLoad() {
		EntityExchangeResult<byte[]> page = client.get()
			.uri("/v1/docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectHeader()
			.valueMatches("Content-Security-Policy", ".*default-src 'none'.*script-src 'self'.*")
			.expectBody()
			.returnResult();
		String html = new String(page.getResponseBody(), StandardCharsets.UTF_8);
		assertThat(html).doesNotContainIgnoringCase("http:").doesNotContainIgnoringCase("https:");

		List<String> references = new ArrayList<>();
		Matcher matcher = REFERENCE.matcher(html);
		while (matcher.find()) {
			references.add(matcher.group(1));
		}
		assertThat(references).contains("/v1/docs/swagger-ui-bundle.js", "/v1/docs/swagger-ui.css",
				"/v1/docs/swagger-initializer.js");
		for (String reference : references) {
			assertThat(reference).as("same-origin path").startsWith("/").doesNotStartWith("//");
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
	}

	@Test
	void initializerLoadsTheServedDescriptionWithoutTheOnlineValidator() {
		String script = client.get()
			.uri("/v1/docs/swagger-initializer.js")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith("text/javascript")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(script).contains("url: \"/v1/openapi.yaml\"", "validatorUrl: null").doesNotContain("http");
		client.get().uri("/v1/openapi.yaml").exchange().expectStatus().isOk();
	}

	@Test
	void onlyTheNamedAssetsAreServed() {
		client.get().uri("/v1/docs/index.html").exchange().expectStatus().isNotFound();
		client.get().uri("/v1/docs/swagger-ui-es-bundle.js").exchange().expectStatus().isNotFound();
	}

}
