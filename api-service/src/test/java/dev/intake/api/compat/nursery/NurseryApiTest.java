package dev.intake.api.compat.nursery;

import java.util.List;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.CompatibleApiTest;
import dev.intake.api.TestServers;
import dev.intake.api.auth.TestIssuer;
import dev.intake.contracts.AssetLink;
import dev.intake.contracts.IngestOptions;
import dev.intake.contracts.ItemSource;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static dev.intake.api.TestServers.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nursery image API's routes over HTTP: the {@code JWT_code} credential in a form field, a
 * JSON field or a query parameter, every refusal in its {@code {"success":false,"message"}} shape
 * with nothing queued or kept, and the answers' shapes from the status-service's data. The stored
 * file and real links need the whole pipeline (see the local module's end-to-end test): this
 * context's status-service is a fake without live progress and with a catalogue that holds no
 * file.
 */
@ApiServiceTest
class NurseryApiTest extends CompatibleApiTest {

	@Test
	void aWrongMethodIsRefusedInTheSameShape() {
		for (String path : List.of("/image_upload", "/batch_image_upload")) {
			client.get()
				.uri(path + "?JWT_code=" + TestServers.TOKEN)
				.exchange()
				.expectStatus()
				.isEqualTo(405)
				.expectBody()
				.json("{\"success\":false,\"message\":\"Method not allowed.\"}", true);
		}
		client.delete()
			.uri("/load_batch_images?JWT_code=" + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isEqualTo(405)
			.expectBody()
			.json("{\"success\":false,\"message\":\"Method not allowed.\"}", true);
	}

	@Test
	void anUploadWithoutACredentialIs401AndKeepsNothing() {
		upload(aPdfForm(null)).expectStatus()
			.isUnauthorized()
			.expectBody()
			.json("{\"success\":false,\"message\":\"" + ImageUploadController.CREDENTIAL_MISSING + "\"}", true);
		assertThat(publisher.published()).isEmpty();
		assertThat(TestServers.staged()).isEmpty();
	}

	@Test
	void anUploadWithAnInvalidJwtCodeIs401AndKeepsNothing() {
		upload(aPdfForm("wdwewewewe")).expectStatus()
			.isUnauthorized()
			.expectBody()
			.json("{\"success\":false,\"message\":\"JWT_code is missing or invalid.\"}", true);
		upload(aPdfForm(TestIssuer.hs256(TestIssuer.claims(c -> c.issuer("someone-else"))))).expectStatus()
			.isUnauthorized();
		assertThat(publisher.published()).isEmpty();
		assertThat(TestServers.staged()).isEmpty();
	}

	@Test
	void aJwtCodeSentAfterTheFileCountsAndTheFileMovesToItsTenant() {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part("file", aFile("report.pdf", 5000)).contentType(MediaType.APPLICATION_PDF);
		form.part("JWT_code", TestServers.TOKEN);

		// the fake status-service has no live progress: the answer deadline passes
		upload(form).expectStatus().isEqualTo(503);

		assertThat(publisher.published()).hasSize(1);
		var source = (ItemSource.Staged) publisher.published().get(0).jobs().get(0).source();
		assertThat(source.blob().key()).matches("uploads/[0-9]{10}/local/.+");
		assertThat(TestServers.staged()).containsExactly(source.blob().key());
	}

	@Test
	void anInvalidJwtCodeSentAfterTheFileIs401AndTheFileIsNotKept() {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part("file", aFile("report.pdf", 5000)).contentType(MediaType.APPLICATION_PDF);
		form.part("JWT_code", "wdwewewewe");

		upload(form).expectStatus()
			.isUnauthorized()
			.expectBody()
			.json("{\"success\":false,\"message\":\"JWT_code is missing or invalid.\"}", true);
		assertThat(publisher.published()).isEmpty();
		assertThat(TestServers.staged()).isEmpty();
	}

	@Test
	void aFileWithoutAnyCredentialIs401AndIsNotKept() {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part("file", aFile("report.pdf", 5000)).contentType(MediaType.APPLICATION_PDF);

		upload(form).expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.message")
			.isEqualTo(ImageUploadController.CREDENTIAL_MISSING);
		assertThat(publisher.published()).isEmpty();
		assertThat(TestServers.staged()).isEmpty();
	}

	@Test
	void aJwtCodeWithoutTheWriteScopeIs403() {
		upload(aPdfForm(TestServers.READ_ONLY_TOKEN)).expectStatus()
			.isForbidden()
			.expectBody()
			.json("{\"success\":false,\"message\":\"JWT_code does not allow this request.\"}", true);
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void anInvalidHeaderCredentialIs401InTheSameShape() {
		client.post()
			.uri("/image_upload")
			.header("Authorization", "Bearer no-such-key")
			.body(BodyInserters.fromMultipartData(aPdfForm(null).build()))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.json("{\"success\":false,\"message\":\"JWT_code is missing or invalid.\"}", true);
	}

	@Test
	void aRequestThatIsNoFormOrHasNoFileIs400() {
		client.post()
			.uri("/image_upload")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"success\":false,\"message\":\"The request must be multipart/form-data.\"}", true);
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part("JWT_code", TestServers.TOKEN);
		form.part("file", "report.pdf");
		upload(form).expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"success\":false,\"message\":\"file is required: send one file as 'file'.\"}", true);
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void anUploadWithAJwtAsJwtCodeIsQueuedAsANurseryFileThatMayBeADocument() {
		String jwt = TestIssuer.hs256(TestIssuer.claims(c -> c.claim("tenant", "other")));

		// the fake status-service has no live progress: the answer deadline passes
		upload(aPdfForm(jwt)).expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.exists("Retry-After")
			.expectBody()
			.jsonPath("$.success")
			.isEqualTo(false);

		assertThat(publisher.published()).hasSize(1);
		var published = publisher.published().get(0);
		assertThat(published.batch().tenant()).isEqualTo("other");
		AssetLink link = published.batch().items().get(0).asset();
		assertThat(link.api()).isEqualTo("nursery");
		assertThat(link.replace()).isFalse();
		assertThat(link.attributes().get("generated_name")).matches("[A-Za-z0-9]{15}");
		assertThat(published.jobs().get(0).options()).isEqualTo(new IngestOptions(null, true));
	}

	@Test
	void theHeaderCredentialCountsWhenNoJwtCodeIsSent() {
		client.post()
			.uri("/image_upload")
			.header("X-Api-Key", TestServers.READ_ONLY_TOKEN)
			.body(BodyInserters.fromMultipartData(aPdfForm(null).build()))
			.exchange()
			.expectStatus()
			.isForbidden();
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void linkingAFileTheTenantDoesNotHaveIs404() {
		link("{\"parameters\":{\"nursery_id\":2,\"user_id\":1,\"JWT_code\":\"" + TestServers.OTHER_TENANT_TOKEN
				+ "\",\"batch_id\":1,\"file_id\":10,\"image_type\":\"ROOT\"}}")
			.expectStatus()
			.isNotFound()
			.expectBody()
			.json("{\"success\":false,\"message\":\"No file with file_id 10 exists.\"}", true);
		assertThat(TestServers.statusRequests).contains("other/assets/10");
	}

	@Test
	void aBadJwtCodeIs401BeforeAnyParameterIsChecked() {
		link("{\"parameters\":{\"JWT_code\":\"wdwewewewe\"}}").expectStatus()
			.isUnauthorized()
			.expectBody()
			.json("{\"success\":false,\"message\":\"JWT_code is missing or invalid.\"}", true);
		link("{\"parameters\":{\"JWT_code\":42,\"nursery_id\":2}}").expectStatus().isUnauthorized();
		link("{\"parameters\":{\"nursery_id\":2}}").expectStatus().isUnauthorized();
		client.get()
			.uri("/load_batch_images?nursery_id=2&batch_id=1&user_id=1&JWT_code=wdwewewewe")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.success")
			.isEqualTo(false);
	}

	@Test
	void missingOrMistypedParametersAre400NamingTheParameter() {
		String token = TestServers.TOKEN;
		assertRefused("{\"parameters\":{\"JWT_code\":\"" + token + "\",\"user_id\":1,\"batch_id\":1,\"file_id\":10,"
				+ "\"image_type\":\"ROOT\"}}", "nursery_id is required.");
		assertRefused("{\"parameters\":{\"JWT_code\":\"" + token + "\",\"nursery_id\":\"two\",\"user_id\":1,"
				+ "\"batch_id\":1,\"file_id\":10,\"image_type\":\"ROOT\"}}", "nursery_id must be a non-negative integer.");
		assertRefused("{\"parameters\":{\"JWT_code\":\"" + token + "\",\"nursery_id\":2,\"user_id\":1,"
				+ "\"batch_id\":1.5,\"file_id\":10,\"image_type\":\"ROOT\"}}", "batch_id must be a non-negative integer.");
		assertRefused("{\"parameters\":{\"JWT_code\":\"" + token + "\",\"nursery_id\":2,\"user_id\":1,"
				+ "\"batch_id\":1,\"file_id\":-10,\"image_type\":\"ROOT\"}}", "file_id must be a non-negative integer.");
		assertRefused("{\"parameters\":{\"JWT_code\":\"" + token + "\",\"nursery_id\":2,\"batch_id\":1,"
				+ "\"file_id\":10,\"image_type\":\"ROOT\"}}", "user_id is required.");
		assertRefused("{\"parameters\":{\"JWT_code\":\"" + token + "\",\"nursery_id\":2,\"user_id\":1,"
				+ "\"batch_id\":1,\"file_id\":10,\"image_type\":7}}", "image_type must be a string.");
		assertRefused("{\"parameters\":{\"JWT_code\":\"" + token + "\",\"nursery_id\":2,\"user_id\":1,"
				+ "\"batch_id\":1,\"file_id\":10,\"image_type\":\"  \"}}", "image_type must not be empty.");
		assertRefused("{\"parameters\":{\"JWT_code\":\"" + token + "\",\"nursery_id\":2,\"user_id\":1,"
				+ "\"batch_id\":1,\"file_id\":10,\"image_type\":\"ROOT\\u202e\"}}",
				"image_type must be at most 64 printable characters.");
		assertRefused("{\"parameters\":[1,2]}", "parameters must be an object.");
		assertRefused("{\"parameters\":{\"nursery_id\":", "The body is not valid JSON.");
		assertRefused("", "The body must be a JSON object with 'parameters'.");
		client.get()
			.uri("/load_batch_images?nursery_id=2&user_id=1&JWT_code=" + token)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"success\":false,\"message\":\"batch_id is required.\"}", true);
		assertThat(TestServers.statusRequests).doesNotContain("local/assets/10");
	}

	@Test
	void hostileBodiesAreRefusedInTheApisShape() {
		String token = TestServers.TOKEN;
		link("{\"parameters\":{\"JWT_code\":\"" + token + "\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}}").expectStatus()
			.isEqualTo(413)
			.expectBody()
			.jsonPath("$.success")
			.isEqualTo(false);
		assertRefused("[".repeat(5000) + "]".repeat(5000), "The body is not valid JSON.");
		assertRefused("{\"parameters\":{\"JWT_code\":\"" + token + "\",\"nursery_id\":1e400,\"user_id\":1,"
				+ "\"batch_id\":1,\"file_id\":10,\"image_type\":\"ROOT\"}}", "nursery_id must be a non-negative integer.");
		assertRefused("{\"parameters\":{\"JWT_code\":\"" + token + "\",\"nursery_id\":99999999999999999999999,"
				+ "\"user_id\":1,\"batch_id\":1,\"file_id\":10,\"image_type\":\"ROOT\"}}",
				"nursery_id must be a non-negative integer.");
		assertRefused("{\"parameters\":{\"JWT_code\":\"" + token + "\",\"nursery_id\":2,\"user_id\":1,"
				+ "\"batch_id\":1,\"file_id\":10,\"image_type\":\"" + "R".repeat(65) + "\"}}",
				"image_type must be at most 64 printable characters.");
		assertRefused("{\"parameters\":{\"JWT_code\":\"" + token + "\",\"nursery_id\":2,\"user_id\":1,"
				+ "\"batch_id\":1,\"file_id\":10,\"image_type\":\"RO\\u0000OT\"}}",
				"image_type must be at most 64 printable characters.");
	}

	@Test
	void aBatchIsListedByPostAndByGetInTheDocumentsShape() {
		String expected = "{\"success\":true,\"data\":[{\"file_id\":1,\"filename\":\"tyetywteyw.png\",\"type\":\"ROOT\","
				+ "\"upload_date\":\"2026-03-01T12:00:00Z\"},{\"file_id\":7,\"filename\":\"NjMWJyf5UxtZFOu.pdf\","
				+ "\"type\":\"LEAF\",\"upload_date\":null}]}";
		client.post()
			.uri("/load_batch_images")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"parameters\":{\"nursery_id\":2,\"batch_id\":1,\"user_id\":1,\"JWT_code\":\""
					+ TestServers.READ_ONLY_TOKEN + "\"}}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json(expected, true);
		client.get()
			.uri("/load_batch_images?nursery_id=2&batch_id=1&user_id=1")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json(expected, true);
		client.get()
			.uri("/load_batch_images?nursery_id=2&batch_id=1&JWT_code=" + TestServers.OTHER_TENANT_TOKEN)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"success\":true,\"data\":[]}", true);
		assertThat(TestServers.statusRequests).contains("other/nurseries/2/batches/1");
	}

	@Test
	void anEmptyJwtCodeIsNoneInAFormAJsonBodyOrAQuery() {
		String expected = "{\"success\":true,\"data\":[{\"file_id\":1},{\"file_id\":7}]}";
		client.get()
			.uri("/load_batch_images?nursery_id=2&batch_id=1&JWT_code=")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json(expected);
		client.post()
			.uri("/load_batch_images")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"parameters\":{\"nursery_id\":2,\"batch_id\":1,\"JWT_code\":\"\"}}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json(expected);
		client.post()
			.uri("/image_upload")
			.header("X-Api-Key", TestServers.READ_ONLY_TOKEN)
			.body(BodyInserters.fromMultipartData(aPdfForm("").build()))
			.exchange()
			.expectStatus()
			.isForbidden();
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void aParameterGivenTwiceIs400NamingIt() {
		String token = TestServers.TOKEN;
		client.get()
			.uri("/load_batch_images?nursery_id=2&nursery_id=3&batch_id=1&JWT_code=" + token)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"success\":false,\"message\":\"nursery_id must be given at most once.\"}", true);
		assertRefused("{\"parameters\":{\"JWT_code\":\"" + token + "\",\"nursery_id\":2,\"nursery_id\":3,\"user_id\":1,"
				+ "\"batch_id\":1,\"file_id\":10,\"image_type\":\"ROOT\"}}", "nursery_id must be given at most once.");
		MultipartBodyBuilder form = aPdfForm(token);
		form.part("JWT_code", token);
		upload(form).expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"success\":false,\"message\":\"JWT_code must be given at most once.\"}", true);
		assertThat(publisher.published()).isEmpty();
		assertThat(TestServers.statusRequests).doesNotContain("local/assets/10");
	}

	@Test
	void listingNeedsTheReadScope() {
		client.get()
			.uri("/load_batch_images?nursery_id=2&batch_id=1&JWT_code=" + TestServers.WRITE_ONLY_TOKEN)
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.success")
			.isEqualTo(false);
	}

	@Test
	void theRoutesWithATrailingSlashAreServedAsWithoutIt() {
		client.post()
			.uri("/image_upload/")
			.body(BodyInserters.fromMultipartData(aPdfForm(null).build()))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.json("{\"success\":false,\"message\":\"" + ImageUploadController.CREDENTIAL_MISSING + "\"}", true);
		client.post()
			.uri("/image_upload/")
			.body(BodyInserters.fromMultipartData(aPdfForm(TestServers.TOKEN).build()))
			.exchange()
			.expectStatus()
			.isEqualTo(503);
		assertThat(publisher.published()).hasSize(1);
		client.post()
			.uri("/batch_image_upload/")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"parameters\":{\"JWT_code\":\"" + TestServers.TOKEN + "\",\"user_id\":1,\"batch_id\":1,"
					+ "\"file_id\":10,\"image_type\":\"ROOT\"}}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"success\":false,\"message\":\"nursery_id is required.\"}", true);
		client.get()
			.uri("/load_batch_images/?nursery_id=2&batch_id=1&JWT_code=" + TestServers.OTHER_TENANT_TOKEN)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"success\":true,\"data\":[]}", true);
	}

	private void assertRefused(String body, String message) {
		link(body).expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"success\":false,\"message\":\"" + message + "\"}", true);
	}

	private WebTestClient.ResponseSpec link(String body) {
		return client.post()
			.uri("/batch_image_upload")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	private WebTestClient.ResponseSpec upload(MultipartBodyBuilder form) {
		return client.post().uri("/image_upload").body(BodyInserters.fromMultipartData(form.build())).exchange();
	}

	/** A form with {@code JWT_code} (unless null) before a PDF under {@code file}. */
	private static MultipartBodyBuilder aPdfForm(String jwtCode) {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		if (jwtCode != null) {
			form.part("JWT_code", jwtCode);
		}
		form.part("file", aFile("report.pdf", 519)).contentType(MediaType.APPLICATION_PDF);
		return form;
	}

	private static ByteArrayResource aFile(String filename, int size) {
		return new ByteArrayResource(bytes(size, 7)) {
			@Override
			public String getFilename() {
				return filename;
			}
		};
	}


}
