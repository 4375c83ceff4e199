package dev.intake.api.submission.json;

import dev.intake.api.publish.RecordingBatchPublisher;

import java.util.Base64;
import java.util.Collections;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.SubmittedItem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;


import static dev.intake.api.TestServers.bytes;
import static dev.intake.api.TestServers.read;
import static dev.intake.api.TestServers.deleteStaged;
import static dev.intake.api.TestServers.staged;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /v1/batch-upload/submit} (JSON: URL and Base64 items) against a real S3 server. */
@ApiServiceTest
class SubmitJsonTest {

	private static final String PATH = "/v1/batch-upload/submit";

	private static final int MB = 1024 * 1024;

	@LocalServerPort
	int port;

	@Autowired
	RecordingBatchPublisher publisher;

	WebTestClient client;

	@BeforeEach
	void setUp() {
		client = TestServers.client(port);
		publisher.reset();
		deleteStaged();
	}

	@Test
	void queuesUrlItemsAndStagesBase64Items() {
		byte[] png = bytes(70_000, 1);
		byte[] plain = bytes(1001, 2);
		String body = """
				{"batch_id": "json-batch-1", "items": [
				  {"type": "url", "url": "https://images.example.com/products/shoe.jpg"},
				  {"type": "base64", "data": "data:image/png;base64,%s"},
				  {"type": "base64", "data": "%s", "image_name": "hero.webp"},
				  {"type": "url", "url": "http://example.com/", "image_name": "front"}
				]}""".formatted(base64(png), base64(plain));

		submit(body).expectStatus().isOk().expectBody().json("""
				{"code":200,"message":"success","data":{"batch_id":"json-batch-1","total_count":4,
				"message":"Batch file upload task submitted, please use batch id to query upload progress.",
				"status":"TASK_PENDING"}}""", true);

		BatchSubmitted batch = publisher.published().get(0).batch();
		assertThat(batch.items()).extracting(SubmittedItem::name)
			.containsExactly("shoe.jpg", "image-2.png", "hero.webp", "front");
		assertThat(batch.items()).extracting(SubmittedItem::index).containsExactly(0, 1, 2, 3);
		assertThat(batch.items().get(0).source())
			.isEqualTo(new ItemSource.Remote("https://images.example.com/products/shoe.jpg"));
		assertThat(batch.items().get(3).source()).isEqualTo(new ItemSource.Remote("http://example.com/"));
		ItemSource.Staged second = (ItemSource.Staged) batch.items().get(1).source();
		ItemSource.Staged third = (ItemSource.Staged) batch.items().get(2).source();
		assertThat(second.blob().contentType()).isEqualTo("image/png");
		assertThat(second.blob().size()).isEqualTo(png.length);
		assertThat(third.blob().contentType()).isEqualTo("application/octet-stream");
		assertThat(third.filename()).isEqualTo("hero.webp");
		assertThat(read(second.blob().key())).isEqualTo(png);
		assertThat(read(third.blob().key())).isEqualTo(plain);
		assertThat(publisher.published().get(0).jobs()).hasSize(4);
		assertThat(staged()).hasSize(2);
	}

	@Test
	void stagesABase64ImageOfExactlyTheLimit() {
		byte[] image = bytes(10 * MB, 3);
		submit("{\"items\":[{\"type\":\"base64\",\"data\":\"" + base64(image) + "\"}]}").expectStatus().isOk();

		ItemSource.Staged source = (ItemSource.Staged) publisher.published().get(0).jobs().get(0).source();
		assertThat(source.blob().size()).isEqualTo(10L * MB);
		assertThat(read(source.blob().key())).isEqualTo(image);
	}

	@Test
	void rejectsOversizeBase64WithItsSizeAndDeletesWhatWasStaged() {
		String body = """
				{"items": [
				  {"type": "base64", "data": "%s"},
				  {"type": "base64", "data": "%s", "image_name": "large_photo.jpg"},
				  {"type": "base64", "data": "%s"}
				]}""".formatted(base64(bytes(100, 4)), base64(bytes(15 * MB, 5)), base64(bytes(100, 6)));

		expectRejected(body, "The 2nd image 'large_photo.jpg' size is 15.00MB, exceeds the maximum limit of 10MB.");
	}

	@Test
	void rejectsInvalidBase64() {
		expectRejected("{\"items\":[{\"type\":\"base64\",\"data\":\"" + base64(bytes(300, 7)) + "\"},"
				+ "{\"type\":\"base64\",\"data\":\"AAAA!!\",\"image_name\":\"x.png\"}]}",
				"The 2nd image 'x.png' data is not valid Base64.");
		expectRejected("{\"items\":[{\"type\":\"base64\",\"data\":\"QUJD\\tREVG\"}]}",
				"The 1st image 'image-1' data is not valid Base64.");
		expectRejected("{\"items\":[{\"type\":\"base64\",\"data\":\"QUJD REVG\"}]}",
				"The 1st image 'image-1' data is not valid Base64.");
		expectRejected("{\"items\":[{\"type\":\"base64\",\"data\":\"ab+_\"}]}",
				"The 1st image 'image-1' data is not valid Base64.");
	}

	@Test
	void stagesBase64WithLineBreaksOrInTheUrlSafeAlphabet() {
		byte[] image = bytes(5000, 10);
		// in JSON, as json.dumps writes the output of Python's base64.encodebytes: "\n" every 76 characters
		String lines = Base64.getMimeEncoder(76, new byte[] { '\n' }).encodeToString(image).replace("\n", "\\n") + "\\n";
		String crlf = Base64.getMimeEncoder().encodeToString(image).replace("\r\n", "\\r\\n");
		String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(image);
		submit("""
				{"items": [
				  {"type": "base64", "data": "%s"},
				  {"type": "base64", "data": "data:image/png;base64,%s"},
				  {"type": "base64", "data": "%s"}
				]}""".formatted(lines, crlf, urlSafe)).expectStatus().isOk();

		for (var job : publisher.published().get(0).jobs()) {
			ItemSource.Staged source = (ItemSource.Staged) job.source();
			assertThat(source.blob().size()).isEqualTo(image.length);
			assertThat(read(source.blob().key())).isEqualTo(image);
		}
		assertThat(publisher.published().get(0).jobs()).hasSize(3);
	}

	@Test
	void rejectsBadItems() {
		expectRejected("{\"items\":[{\"type\":\"ftp\",\"url\":\"ftp://x/y.png\"}]}",
				"The 1st item type 'ftp' is not supported; use 'url' or 'base64'.");
		expectRejected("{\"items\":[{\"url\":\"https://x/y.png\"}]}",
				"The 1st item has no 'type'; use 'url' or 'base64'.");
		expectRejected("{\"items\":[{\"type\":\"url\"}]}", "The 1st item of type 'url' has no 'url'.");
		expectRejected("{\"items\":[{\"type\":\"base64\",\"image_name\":\"a.png\"}]}",
				"The 1st item of type 'base64' has no 'data'.");
		expectRejected("{\"items\":[{\"type\":\"url\",\"url\":\"https://x/y.png\",\"data\":\"AAAA\"}]}",
				"The 1st item of type 'url' must not have 'data'.");
		expectRejected("{\"items\":[{\"type\":\"url\",\"url\":\"https://x/a.png\"},{\"type\":\"url\",\"url\":\"file:///etc/passwd\"}]}",
				"The 2nd item's url is not an absolute http or https URL.");
	}

	@Test
	void rejectsBadRequestsAsAWhole() {
		expectRejected("{\"items\":[]}", "The upload item list cannot be empty.");
		expectRejected("{\"batch_id\":\"x\"}", "The upload item list cannot be empty.");
		expectRejected("{\"items\":[{\"type\":\"url\",\"url\":\"https://x/a.png\"}],\"batch_id\":\"no/slash\"}",
				"The batch_id must be 1 to 64 characters: letters, digits, '.', '_' or '-' (not '.' or '..' alone).");
		expectRejected("{\"items\":[{\"type\":\"base64\",\"data\":\"" + base64(bytes(30, 8)) + "\"}",
				"The request body is not valid JSON: it ends early.");
		expectRejected("{\"items\":[{\"type\":\"base64\",\"data\":\"" + base64(bytes(30, 8)) + "\"},,]}",
				"The request body is not valid JSON: unexpected ',' at byte 78.");
		String item = "{\"type\":\"base64\",\"data\":\"" + base64(bytes(10, 9)) + "\"}";
		expectRejected("{\"items\":[" + String.join(",", Collections.nCopies(301, item)) + "]}",
				"The number of images exceeds the maximum of 300 per batch.");
	}

	@Test
	void requiresJsonInUtf8() {
		for (String type : new String[] { "text/plain", "application/json; charset=utf-16" }) {
			client.post()
				.uri(PATH)
				.header("Authorization", "Bearer " + TestServers.TOKEN)
				.header("Content-Type", type)
				.bodyValue("{}")
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.json("{\"code\":1000,\"message\":\"The request must be application/json (in UTF-8).\"}", true);
		}
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void servesTheApiDescriptionWithoutAuthentication() {
		client.get()
			.uri("/v1/openapi.yaml")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value(yaml -> assertThat(yaml).contains("/v1/batch-upload/submit:", "openapi: 3."));
	}

	@Test
	void servesTheEventsDescriptionWithoutAuthentication() {
		client.get()
			.uri("/v1/asyncapi.yaml")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value(yaml -> assertThat(yaml).contains("asyncapi: 3.0.0", "address: intake.events",
					"dev.intake.item.stored.v1"));
	}

	private void expectRejected(String body, String message) {
		submit(body).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo(1000)
			.jsonPath("$.message")
			.isEqualTo(message);
		assertThat(publisher.published()).isEmpty();
		assertThat(staged()).isEmpty();
	}

	private WebTestClient.ResponseSpec submit(String body) {
		return client.post()
			.uri(PATH)
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	private static String base64(byte[] bytes) {
		return Base64.getEncoder().encodeToString(bytes);
	}

}
