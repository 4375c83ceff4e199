package dev.intake.api.compat.inventorum;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.CompatibleApiTest;
import dev.intake.api.TestServers;
import dev.intake.contracts.AssetLink;
import dev.intake.contracts.IngestOptions;
import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static dev.intake.api.TestServers.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/images/}: credentials, versions, request validation and every error in the
 * Django REST framework shapes of the Inventorum images API, and what an accepted upload publishes
 * (the stored answer is tested end to end in the local module).
 */
@ApiServiceTest
class ImagesApiTest extends CompatibleApiTest {

	@Test
	void aWrongMethodIsRefusedInTheFrameworksShape() {
		for (String path : List.of("/api/images/", "/api/images")) {
			client.put()
				.uri(path)
				.header("Authorization", "Bearer " + TestServers.TOKEN)
				.exchange()
				.expectStatus()
				.isEqualTo(405)
				.expectBody()
				.json("{\"detail\":\"Method \\\"PUT\\\" not allowed.\"}", true);
		}
	}

	@Test
	void withoutACredentialIs401() {
		client.post()
			.uri("/api/images/")
			.body(BodyInserters.fromMultipartData(image("image", "product").build()))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.json("{\"detail\":\"Authentication credentials were not provided.\"}", true);
	}

	@Test
	void anUnknownTokenIs401() {
		post("/api/images/", "not-a-token", null, image("image", "product")).expectStatus()
			.isUnauthorized()
			.expectBody()
			.json("{\"detail\":\"Invalid token.\"}", true);
	}

	@Test
	void aTokenWithoutTheImagesScopeIs403() {
		post("/api/images/", TestServers.READ_ONLY_TOKEN, "12", image("image", "product")).expectStatus()
			.isForbidden()
			.expectBody()
			.json("{\"detail\":\"You do not have permission to perform this action.\"}", true);
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void aMissingImageIsTheDocumentedError() {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part("type", "product");

		post("/api/images/", TestServers.TOKEN, "12", form).expectStatus().isBadRequest().expectBody().json("""
				{"error":{"fields":{"image":["This field is required."]},"description":"Serialization error",
				"key":"common.serializer_error"}}""", true);
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void aFileNameSentAsTextIsNotAFile() {
		// the document's own curl line: -F 'image=image-file.jpg' sends the name, not the file
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part("image", "image-file.jpg");
		form.part("type", "product");

		post("/api/images/", TestServers.TOKEN, "12", form).expectStatus().isBadRequest().expectBody().json("""
				{"error":{"fields":{"image":["The submitted data was not a file. Check the encoding type on the form."]},
				"description":"Serialization error","key":"common.serializer_error"}}""", true);
	}

	@Test
	void anUnknownTypeIsNotAValidChoiceAndAMissingOneIsRequired() {
		post("/api/images", TestServers.TOKEN, "12", image("image", "x")).expectStatus().isBadRequest().expectBody().json("""
				{"error":{"fields":{"type":["\\"x\\" is not a valid choice."]},"description":"Serialization error",
				"key":"common.serializer_error"}}""", true);
		post("/api/images", TestServers.TOKEN, "12", image("image", null)).expectStatus().isBadRequest().expectBody().json("""
				{"error":{"fields":{"type":["This field is required."]},"description":"Serialization error",
				"key":"common.serializer_error"}}""", true);
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void aTypeGivenTwiceIsAFieldError() {
		MultipartBodyBuilder form = image("image", "product");
		form.part("type", "user");

		post("/api/images/", TestServers.TOKEN, "12", form).expectStatus().isBadRequest().expectBody().json("""
				{"error":{"fields":{"type":["This field must be given only once."]},"description":"Serialization error",
				"key":"common.serializer_error"}}""", true);
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void everyFieldErrorIsReportedAtOnce() {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part("type", "shoe");

		post("/api/images/", TestServers.TOKEN, null, form).expectStatus().isBadRequest().expectBody().json("""
				{"error":{"fields":{"image":["This field is required."],"type":["\\"shoe\\" is not a valid choice."]},
				"description":"Serialization error","key":"common.serializer_error"}}""", true);
	}

	@Test
	void aFileThatIsNoImageIsReportedBesideTheOtherFieldsErrors() {
		for (byte[] document : List.of(TestImages.pdf(), "just some text".getBytes(StandardCharsets.UTF_8))) {
			MultipartBodyBuilder form = new MultipartBodyBuilder();
			form.part("image", new ByteArrayResource(document) {
				@Override
				public String getFilename() {
					return "image-file.jpg";
				}
			}).contentType(MediaType.IMAGE_JPEG);
			form.part("type", "shoe");

			post("/api/images/", TestServers.TOKEN, "12", form).expectStatus().isBadRequest().expectBody().json("""
					{"error":{"fields":{"image":["Upload a valid image. The file you uploaded was either not an image \
					or a corrupted image."],"type":["\\"shoe\\" is not a valid choice."]},
					"description":"Serialization error","key":"common.serializer_error"}}""", true);
		}
		assertThat(publisher.published()).isEmpty();
		assertThat(TestServers.staged()).isEmpty();
	}

	@Test
	void versionSevenAndEarlierReadProductImage() {
		post("/api/images/", TestServers.TOKEN, "7", image("image", "product")).expectStatus().isBadRequest().expectBody().json("""
				{"error":{"fields":{"product_image":["This field is required."]},"description":"Serialization error",
				"key":"common.serializer_error"}}""", true);

		post("/api/images/", TestServers.TOKEN, "7", image("product_image", "category")).expectStatus().isEqualTo(503);

		assertThat(publisher.published()).hasSize(1);
		AssetLink link = publisher.published().get(0).batch().items().get(0).asset();
		assertThat(link.api()).isEqualTo("inventorum");
		assertThat(link.attributes()).containsEntry("type", "category");
		assertThat(publisher.published().get(0).jobs().get(0).options())
			.isEqualTo(new IngestOptions("inventorum", false));
	}

	@Test
	void beforeVersionThreeTheTypeIsOptional() {
		post("/api/images", TestServers.TOKEN, "2", image("product_image", null)).expectStatus().isEqualTo(503);

		assertThat(publisher.published()).hasSize(1);
	}

	@Test
	void anAcceptedImageNotDoneInTimeIs503InTheFrameworksShape() {
		post("/api/images/", TestServers.TOKEN, null, image("image", "product")).expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.exists("Retry-After")
			.expectBody()
			.jsonPath("$.detail")
			.isNotEmpty();
	}

	@Test
	void aBodyThatIsNoFormIsAnUnsupportedMediaType() {
		client.post()
			.uri("/api/images/")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isEqualTo(415)
			.expectBody()
			.json("{\"detail\":\"Unsupported media type \\\"application/json\\\" in request.\"}", true);
	}

	@Test
	void anImageOverTheSizeLimitIs413WithAFieldError() {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part("image", new ByteArrayResource(bytes(10 * 1024 * 1024 + 1, 5)) {
			@Override
			public String getFilename() {
				return "huge.jpg";
			}
		}).contentType(MediaType.IMAGE_JPEG);
		form.part("type", "product");

		post("/api/images/", TestServers.TOKEN, "12", form).expectStatus().isEqualTo(413).expectBody().json("""
				{"error":{"fields":{"image":["The file is larger than the limit of 10 MB."]},
				"description":"Serialization error","key":"common.serializer_error"}}""", true);
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void aMalformedFormIsAParseError() {
		client.post()
			.uri("/api/images/")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.header("Content-Type", "multipart/form-data; boundary=b")
			.bodyValue("--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\nabc")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"detail\":\"Multipart form parse error - The multipart form is malformed.\"}", true);
	}

	@Test
	void aVersionThatIsNoNumberIsRefused() {
		post("/api/images/", TestServers.TOKEN, "latest", image("image", "product")).expectStatus()
			.isEqualTo(406)
			.expectBody()
			.json("{\"detail\":\"Invalid version in \\\"X-Api-Version\\\" header.\"}", true);
	}

	private WebTestClient.ResponseSpec post(String path, String token, String version, MultipartBodyBuilder form) {
		return client.post().uri(path).headers(headers -> {
			headers.setBearerAuth(token);
			if (version != null) {
				headers.set("X-Api-Version", version);
			}
		}).body(BodyInserters.fromMultipartData(form.build())).exchange();
	}

	private static MultipartBodyBuilder image(String field, String type) {
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part(field, new ByteArrayResource(bytes(1000, 2)) {
			@Override
			public String getFilename() {
				return "image-file.jpg";
			}
		}).contentType(MediaType.IMAGE_JPEG);
		if (type != null) {
			form.part("type", type);
		}
		return form;
	}

}
