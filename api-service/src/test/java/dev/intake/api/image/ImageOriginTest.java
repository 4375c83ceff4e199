package dev.intake.api.image;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import software.amazon.awssdk.core.sync.RequestBody;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /i/{key}}: stored images, served publicly from S3. */
@ApiServiceTest
class ImageOriginTest {

	private static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3 };

	@LocalServerPort
	int port;

	WebTestClient client;

	@BeforeEach
	void setUp() {
		client = TestServers.client(port);
	}

	@Test
	void servesAStoredImageWithoutCredentials() {
		String etag = put("images/local/abc123.png", "image/png", PNG);

		client.get()
			.uri("/i/images/local/abc123.png")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("image/png")
			.expectHeader()
			.contentLength(PNG.length)
			.expectHeader()
			.valueEquals("ETag", etag)
			.expectHeader()
			.valueEquals("Cache-Control", "public, max-age=31536000, immutable")
			.expectHeader()
			.valueEquals("X-Content-Type-Options", "nosniff")
			.expectHeader()
			.doesNotExist("Content-Security-Policy")
			.expectBody(byte[].class)
			.value(body -> assertThat(body).isEqualTo(PNG));
	}

	@Test
	void answersNotModifiedToARevalidation() {
		String etag = put("images/local/cached.png", "image/png", PNG);

		client.get()
			.uri("/i/images/local/cached.png")
			.header("If-None-Match", etag)
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectHeader()
			.valueEquals("ETag", etag)
			.expectBody()
			.isEmpty();
	}

	@Test
	void answersHeadWithTheHeadersOnly() {
		put("images/local/head.png", "image/png", PNG);

		client.head()
			.uri("/i/images/local/head.png")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("image/png")
			.expectHeader()
			.contentLength(PNG.length)
			.expectBody()
			.isEmpty();
	}

	@Test
	void sandboxesSvg() {
		put("images/local/logo.svg", "image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes());

		client.get()
			.uri("/i/images/local/logo.svg")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("image/svg+xml")
			.expectHeader()
			.valueEquals("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
	}

	@Test
	void neverServesOtherTypesAsSuch() {
		put("images/local/odd.png", "text/html", "<script>alert(1)</script>".getBytes());

		client.get()
			.uri("/i/images/local/odd.png")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("application/octet-stream");
	}

	@Test
	void answersNotFoundForMissingImages() {
		client.get()
			.uri("/i/images/local/missing.png")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.json("{\"code\":404,\"message\":\"Not found.\"}", true);
	}

	@Test
	void answersNotFoundForKeysOutsideImages() {
		put("staging/local/upload/0", "image/png", PNG);

		client.get()
			.uri("/i/staging/local/upload/0")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.json("{\"code\":404,\"message\":\"Not found.\"}", true);
	}

	private static String put(String key, String contentType, byte[] content) {
		return TestServers.s3()
			.putObject(put -> put.bucket(TestServers.BUCKET).key(key).contentType(contentType),
					RequestBody.fromBytes(content))
			.eTag();
	}

}
