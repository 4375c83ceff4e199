package dev.intake.api.image;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

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
	void servesAStoredDocumentAsADownloadWithItsType() {
		byte[] pdf = "%PDF-1.4 test".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		put("files/local/0f1e2d.pdf", "application/pdf", pdf);

		client.get()
			.uri("/i/files/local/0f1e2d.pdf")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("application/pdf")
			.expectHeader()
			.valueEquals("Content-Disposition", "attachment; filename=\"0f1e2d.pdf\"")
			.expectHeader()
			.valueEquals("X-Content-Type-Options", "nosniff")
			.expectBody(byte[].class)
			.value(body -> assertThat(body).isEqualTo(pdf));
	}

	@Test
	void aDocumentKeyOfAnotherShapeIsNotServed() {
		put("files/local/a/b/c.pdf", "application/pdf", PNG);

		client.get().uri("/i/files/local/a/b/c.pdf").exchange().expectStatus().isNotFound();
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

	@ParameterizedTest(name = "{0}")
	@MethodSource("matchingConditions")
	void answersNotModifiedToEveryMatchingConditionForm(String form, Function<String, String> condition) {
		String etag = put("images/local/conditional.png", "image/png", PNG);

		client.get()
			.uri("/i/images/local/conditional.png")
			.header("If-None-Match", condition.apply(etag))
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectHeader()
			.valueEquals("ETag", etag)
			.expectBody()
			.isEmpty();
	}

	static Stream<Arguments> matchingConditions() {
		return Stream.of(Arguments.of("exact", (Function<String, String>) etag -> etag),
				Arguments.of("weak", (Function<String, String>) etag -> "W/" + etag),
				Arguments.of("list", (Function<String, String>) etag -> "\"x\", " + etag),
				Arguments.of("weak list", (Function<String, String>) etag -> "W/\"x\", W/" + etag),
				Arguments.of("wildcard", (Function<String, String>) etag -> "*"));
	}

	@Test
	void servesTheImageWhenNoConditionMatches() {
		put("images/local/changed.png", "image/png", PNG);

		client.get()
			.uri("/i/images/local/changed.png")
			.header("If-None-Match", "\"old\", W/\"older\"")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.value(body -> assertThat(body).isEqualTo(PNG));
	}

	/**
	 * Conditional GETs answered here without streaming the S3 body used to keep its connection;
	 * 64 of them left uploads and plain GETs waiting for a connection that never came back. Here
	 * three times the origin's 32 connections are revalidated, 16 at a time: none ever has to wait
	 * for a connection unless one was kept (waiting 2 s on a busy machine is a 503, not a leak).
	 */
	@Test
	void revalidationsNeverHoldS3Connections() {
		String etag = put("images/local/revalidated.png", "image/png", PNG);
		WebTestClient quick = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();

		Flux.range(0, 96)
			.flatMap(i -> WebClient.create("http://127.0.0.1:" + port)
				.get()
				.uri("/i/images/local/revalidated.png")
				.header("If-None-Match", (i % 2 == 0) ? "W/" + etag : "\"x\", " + etag)
				.exchangeToMono(response -> Mono.just(response.statusCode().value())), 16)
			.collectList()
			.as(StepVerifier::create)
			.assertNext(codes -> assertThat(codes).hasSize(96).containsOnly(304))
			.verifyComplete();

		// a plain GET and a submit right after: the origin's pool (2 s to acquire) and the upload pool are free
		quick.get()
			.uri("/i/images/local/revalidated.png")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.value(body -> assertThat(body).isEqualTo(PNG));
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("files", new ByteArrayResource(PNG) {
			@Override
			public String getFilename() {
				return "after.png";
			}
		}).contentType(MediaType.IMAGE_PNG);
		quick.post()
			.uri("/v1/batch-upload/submit-with-files")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.body(BodyInserters.fromMultipartData(body.build()))
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void servesASingleByteRange() {
		put("images/local/ranged.png", "image/png", PNG);

		client.get()
			.uri("/i/images/local/ranged.png")
			.header("Range", "bytes=0-3")
			.exchange()
			.expectStatus()
			.isEqualTo(206)
			.expectHeader()
			.valueEquals("Content-Range", "bytes 0-3/" + PNG.length)
			.expectHeader()
			.contentLength(4)
			.expectHeader()
			.valueEquals("Accept-Ranges", "bytes")
			.expectBody(byte[].class)
			.value(body -> assertThat(body).isEqualTo(Arrays.copyOfRange(PNG, 0, 4)));
		client.get()
			.uri("/i/images/local/ranged.png")
			.header("Range", "bytes=-2")
			.exchange()
			.expectStatus()
			.isEqualTo(206)
			.expectHeader()
			.valueEquals("Content-Range", "bytes " + (PNG.length - 2) + "-" + (PNG.length - 1) + "/" + PNG.length)
			.expectBody(byte[].class)
			.value(body -> assertThat(body).isEqualTo(Arrays.copyOfRange(PNG, PNG.length - 2, PNG.length)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "bytes=0-1,4-5", "bytes=5-2", "items=0-3", "bytes=x-" })
	void servesTheWholeImageForRangesItDoesNotServe(String range) {
		put("images/local/whole.png", "image/png", PNG);

		client.get()
			.uri("/i/images/local/whole.png")
			.header("Range", range)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.value(body -> assertThat(body).isEqualTo(PNG));
	}

	@Test
	void answersRangeNotSatisfiableBeyondTheEnd() {
		put("images/local/short.png", "image/png", PNG);

		client.get()
			.uri("/i/images/local/short.png")
			.header("Range", "bytes=100-200")
			.exchange()
			.expectStatus()
			.isEqualTo(416)
			.expectHeader()
			.valueEquals("Content-Range", "bytes */" + PNG.length)
			.expectBody()
			.json("{\"code\":416,\"message\":\"The requested range is not satisfiable.\"}", true);
	}

	@Test
	void answersNotFoundForAKeyWithATrailingSlash() {
		put("images/local/slash.png", "image/png", PNG);

		client.get().uri("/i/images/local/slash.png/").exchange().expectStatus().isNotFound();
		client.head().uri("/i/images/local/slash.png/").exchange().expectStatus().isNotFound();
	}

	@Test
	void servesAnOriginalFromTheUploadTheContentIndexNamesAsItsVerifiedType() {
		String sha = "b".repeat(64);
		String upload = "uploads/2026120618/local/u-origin/0";
		String etag = put(upload, "application/octet-stream", PNG);
		TestServers.CONTENTS.put("local/" + sha, "{\"bucket\":\"" + TestServers.BUCKET + "\",\"object\":\"" + upload
				+ "\",\"key\":\"images/local/" + sha + ".png\",\"contentType\":\"image/png\",\"size\":"
				+ PNG.length + ",\"itemId\":\"i\"}");

		for (int i = 0; i < 2; i++) {
			client.get()
				.uri("/i/images/local/" + sha + ".png")
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.contentType("image/png")
				.expectHeader()
				.valueEquals("ETag", etag)
				.expectHeader()
				.valueEquals("Cache-Control", "public, max-age=31536000, immutable")
				.expectBody(byte[].class)
				.value(body -> assertThat(body).isEqualTo(PNG));
		}
		// a verdict never changes: the second request is answered from the cache
		assertThat(TestServers.statusRequests.stream().filter(("local/" + sha)::equals)).hasSize(1);
		client.get()
			.uri("/i/images/local/" + sha + ".png")
			.header("Range", "bytes=0-3")
			.exchange()
			.expectStatus()
			.isEqualTo(206)
			.expectBody(byte[].class)
			.value(body -> assertThat(body).isEqualTo(Arrays.copyOfRange(PNG, 0, 4)));
		client.head().uri("/i/images/local/" + sha + ".png").exchange().expectStatus().isOk().expectHeader()
			.contentType("image/png");
		// the same content under another format's name, and the upload itself, are not served
		client.get().uri("/i/images/local/" + sha + ".jpg").exchange().expectStatus().isNotFound();
		client.get().uri("/i/" + upload).exchange().expectStatus().isNotFound();
	}

	@Test
	void anOriginalTheContentIndexDoesNotKnowIsServedFromItsKeyAndNothingUnknownIsServed() {
		String sha = "c".repeat(64);
		put("images/local/" + sha + ".png", "image/png", PNG);

		client.get().uri("/i/images/local/" + sha + ".png").exchange().expectStatus().isOk();
		client.get().uri("/i/images/local/" + "d".repeat(64) + ".png").exchange().expectStatus().isNotFound();
	}

	@Test
	void aContentIndexThatCannotAnswerIsAServiceUnavailable() {
		client.get()
			.uri("/i/images/local/" + "e".repeat(64) + ".png")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.exists("Retry-After");
	}

	private static String put(String key, String contentType, byte[] content) {
		return TestServers.s3()
			.putObject(put -> put.bucket(TestServers.BUCKET).key(key).contentType(contentType),
					RequestBody.fromBytes(content))
			.eTag();
	}

}
