package dev.intake.api.compat.anqicms;

import java.time.Duration;
import java.util.Map;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.CompatibleApiTest;
import dev.intake.api.TestServers;
import dev.intake.contracts.AssetLink;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.IngestOptions;
import dev.intake.contracts.ItemSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static dev.intake.api.TestServers.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /attachment/upload}: credentials, request validation and every error in the AnqiCMS
 * shape, and what an accepted upload publishes. The stored answer itself needs the whole pipeline
 * (see the local module's end-to-end test): this context's status-service is a fake without live
 * progress, so an accepted upload here ends at its (short) answer deadline.
 */
@ApiServiceTest
class AttachmentUploadTest extends CompatibleApiTest {

	@Test
	void aWrongMethodIsRefusedInTheSameShape() {
		client.get()
			.uri("/attachment/upload?token=" + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isEqualTo(405)
			.expectBody()
			.json("{\"code\":-1,\"msg\":\"Method not allowed.\"}", true);
	}

	@Test
	void withoutATokenIsNotLoggedIn() {
		client.post()
			.uri("/attachment/upload")
			.body(BodyInserters.fromMultipartData(image("example.jpg").build()))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.json("{\"code\":1001}")
			.jsonPath("$.msg")
			.isNotEmpty();
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void anUnknownTokenIsNotLoggedIn() {
		upload("?token=no-such-token", image("example.jpg")).expectStatus().isUnauthorized().expectBody().json("{\"code\":1001}");
	}

	@Test
	void aTokenWithoutTheWriteScopeIsUnauthorized() {
		upload("?token=" + TestServers.READ_ONLY_TOKEN, image("example.jpg")).expectStatus()
			.isForbidden()
			.expectBody()
			.json("{\"code\":1002}");
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void aRequestThatIsNoFormIsRefused() {
		client.post()
			.uri("/attachment/upload?token=" + TestServers.TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"code\":-1,\"msg\":\"The request must be multipart/form-data.\"}", true);
	}

	@Test
	void aFormWithoutAFileIsRefusedAndNothingIsQueued() {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part("category_id", "1");

		upload("?token=" + TestServers.TOKEN, form).expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"code\":-1,\"msg\":\"Please choose a file to upload.\"}", true);
		assertThat(publisher.published()).isEmpty();
	}

	/** ASCII digits only, below 2^53 (a JavaScript client reads larger numbers rounded). */
	@ParameterizedTest
	@ValueSource(strings = { "news", "+5", "-1", "\u0665", "9007199254740992", "9223372036854775807", "1e3" })
	void aCategoryThatIsNoNumberIsRefusedAndTheFileIsNotKept(String category) {
		MultipartBodyBuilder form = image("example.jpg");
		form.part("category_id", category);

		upload("?token=" + TestServers.TOKEN, form).expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"code\":-1,\"msg\":\"category_id must be a non-negative integer.\"}", true);
		assertThat(publisher.published()).isEmpty();
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(TestServers.staged()).isEmpty());
	}

	@Test
	void replacingAnAttachmentThatDoesNotExistIs404() {
		MultipartBodyBuilder form = image("example.jpg");
		form.part("id", "424242");

		upload("?token=" + TestServers.TOKEN, form).expectStatus()
			.isNotFound()
			.expectBody()
			.json("{\"code\":-1,\"msg\":\"No file with id 424242 exists.\"}", true);
		assertThat(TestServers.statusRequests).contains("local/assets/424242");
		assertThat(publisher.published()).isEmpty();
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(TestServers.staged()).isEmpty());
	}

	@Test
	void aFileOverTheSizeLimitIs413() {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part("file", new org.springframework.core.io.ByteArrayResource(bytes(10 * 1024 * 1024 + 1, 3)) {
			@Override
			public String getFilename() {
				return "huge.jpg";
			}
		}).contentType(MediaType.IMAGE_JPEG);

		upload("?token=" + TestServers.TOKEN, form).expectStatus()
			.isEqualTo(413)
			.expectBody()
			.json("{\"code\":-1,\"msg\":\"The file is larger than the limit of 10 MB.\"}", true);
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void anAcceptedFileIsQueuedAsANewAssetWithItsCategoryAndDocumentsAllowed() {
		MultipartBodyBuilder form = image("example.jpg");
		form.part("category_id", "1");

		// the fake status-service has no live progress: the answer deadline passes
		upload("?token=" + TestServers.TOKEN, form).expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.exists("Retry-After")
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo(-1)
			.jsonPath("$.msg")
			.isNotEmpty();

		assertThat(publisher.published()).hasSize(1);
		var published = publisher.published().get(0);
		AssetLink link = published.batch().items().get(0).asset();
		assertThat(link.replace()).isFalse();
		assertThat(link.id()).isPositive();
		assertThat(link.api()).isEqualTo("anqicms");
		assertThat(link.attributes()).isEqualTo(Map.of("category_id", "1"));
		assertThat(published.batch().batchId()).startsWith("asset-" + link.id() + "-");
		IngestImage job = published.jobs().get(0);
		assertThat(job.options()).isEqualTo(new IngestOptions("anqicms", true));
		assertThat(job.source()).isInstanceOfSatisfying(ItemSource.Staged.class,
				staged -> assertThat(staged.filename()).isEqualTo("example.jpg"));
	}

	@Test
	void twoFilesAreRefused() {
		MultipartBodyBuilder form = image("one.jpg");
		form.part("file", new org.springframework.core.io.ByteArrayResource(bytes(10, 4)) {
			@Override
			public String getFilename() {
				return "two.jpg";
			}
		}).contentType(MediaType.IMAGE_JPEG);

		upload("?token=" + TestServers.TOKEN, form).expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"code\":-1,\"msg\":\"Upload one file at a time.\"}", true);
		assertThat(publisher.published()).isEmpty();
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(TestServers.staged()).isEmpty());
	}

	@Test
	void aFormCutOffBeforeItsFinalBoundaryIsA400InTheSameShape() {
		String body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\nabc";

		client.post()
			.uri("/attachment/upload?token=" + TestServers.TOKEN)
			.header("Content-Type", "multipart/form-data; boundary=b")
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"code\":-1,\"msg\":\"The multipart form is malformed.\"}", true);
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void theTokenMayAlsoComeAsAHeader() {
		client.post()
			.uri("/attachment/upload")
			.header("X-Api-Key", TestServers.READ_ONLY_TOKEN)
			.body(BodyInserters.fromMultipartData(image("example.jpg").build()))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody()
			.json("{\"code\":1002}");
	}

	@Test
	void theRouteWithATrailingSlashIsServedAsWithoutIt() {
		client.post()
			.uri("/attachment/upload/")
			.body(BodyInserters.fromMultipartData(image("example.jpg").build()))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.json("{\"code\":1001}")
			.jsonPath("$.msg")
			.isNotEmpty();
		client.post()
			.uri("/attachment/upload/?token=" + TestServers.TOKEN)
			.body(BodyInserters.fromMultipartData(image("example.jpg").build()))
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo(-1);
		assertThat(publisher.published()).hasSize(1);
		assertThat(publisher.published().get(0).batch().items().get(0).asset().api()).isEqualTo("anqicms");
	}

	@Test
	void aCredentialThatIsNotValidIsRefusedWhateverOtherOneComesWithIt() {
		client.post()
			.uri("/attachment/upload?token=no-such-token")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.body(BodyInserters.fromMultipartData(image("example.jpg").build()))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.json("{\"code\":1001}");
		client.post()
			.uri("/attachment/upload?token=" + TestServers.TOKEN)
			.header("X-Api-Key", "no-such-token")
			.body(BodyInserters.fromMultipartData(image("example.jpg").build()))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.json("{\"code\":1001}");
		assertThat(publisher.published()).isEmpty();
		// an empty token is none: the header counts
		client.post()
			.uri("/attachment/upload?token=")
			.header("Authorization", "Bearer " + TestServers.READ_ONLY_TOKEN)
			.body(BodyInserters.fromMultipartData(image("example.jpg").build()))
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void aFieldGivenTwiceIsRefusedNamingItAndNothingIsQueued() {
		MultipartBodyBuilder form = image("example.jpg");
		form.part("category_id", "1");
		form.part("category_id", "2");
		upload("?token=" + TestServers.TOKEN, form).expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"code\":-1,\"msg\":\"category_id must be given at most once.\"}", true);
		upload("?token=" + TestServers.TOKEN + "&token=" + TestServers.TOKEN, image("example.jpg")).expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"code\":-1,\"msg\":\"The token must be given at most once.\"}", true);
		assertThat(publisher.published()).isEmpty();
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(TestServers.staged()).isEmpty());
	}

	private WebTestClient.ResponseSpec upload(String query, MultipartBodyBuilder form) {
		return client.post()
			.uri("/attachment/upload" + query)
			.body(BodyInserters.fromMultipartData(form.build()))
			.exchange();
	}

	private static MultipartBodyBuilder image(String filename) {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part("file", new org.springframework.core.io.ByteArrayResource(bytes(1000, 1)) {
			@Override
			public String getFilename() {
				return filename;
			}
		}).contentType(MediaType.IMAGE_JPEG);
		return form;
	}

}
