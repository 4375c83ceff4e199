package dev.intake.local;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The nursery image API over the whole pipeline (real broker, S3Proxy, worker and status-service
 * in one JVM): the document's workflow with its own example requests (upload, link to a batch,
 * list), answers compared field by field; a relink with another type; and every refusal (unknown
 * file, bad credential, missing or mistyped parameters), after which the batch is as it was.
 */
@Order(SharedStack.CLEAN)
class NurseryApiEndToEndTest {

	private static final String OTHER_KEY = SharedStack.OTHER_KEY;

	@RegisterExtension
	static final SharedStack stack = new SharedStack();

	static LocalIntake intake;

	static IntakeClient client;

	static String origin;

	@BeforeAll
	static void startIntake() throws Exception {
		intake = stack.intake();
		client = LocalStacks.clientOf(intake);
		origin = "http://127.0.0.1:" + intake.settings().apiPort();
	}

	@Test
	void theDocumentsWorkflowUploadsLinksAndListsAPdf() throws Exception {
		byte[] pdf = TestImages.pdf();
		Instant before = Instant.now().minusSeconds(1);

		var uploaded = upload(LocalStacks.TOKEN, "manual.pdf", "application/pdf", pdf);

		assertThat(uploaded.status()).as(uploaded.body().toString()).isEqualTo(200);
		JsonNode file = uploaded.body();
		assertThat(file.propertyNames()).containsExactly("success", "file_name", "file_type", "file_extension",
				"file_size", "file_bucket", "file_id");
		assertThat(file.get("success").asBoolean()).isTrue();
		assertThat(file.get("file_name").asString()).matches("[A-Za-z0-9]{15}\\.pdf");
		assertThat(file.get("file_type").asString()).isEqualTo("application/pdf");
		assertThat(file.get("file_extension").asString()).isEqualTo("pdf");
		assertThat(file.get("file_size").asLong()).isEqualTo(pdf.length);
		assertThat(file.get("file_bucket").asString()).isEqualTo("PUBLIC");
		long fileId = file.get("file_id").asLong();
		assertThat(fileId).isPositive();

		// the document's example request, with the file_id of the upload
		var linked = post("/batch_image_upload", """
				{ "parameters": { "nursery_id": 2, "user_id": 1, "JWT_code": "%s", "batch_id": 1, "file_id": %d, "image_type": "ROOT" }}"""
			.formatted(LocalStacks.TOKEN, fileId));

		assertThat(linked.status()).as(linked.body().toString()).isEqualTo(200);
		assertThat(linked.body().propertyNames()).containsExactly("success", "data");
		assertThat(linked.body().get("success").asBoolean()).isTrue();
		JsonNode data = linked.body().get("data");
		assertThat(data.propertyNames()).containsExactly("file_id", "file_name", "type");
		assertThat(data.get("file_id").asLong()).isEqualTo(fileId);
		assertThat(data.get("file_name").asString()).isEqualTo(file.get("file_name").asString());
		assertThat(data.get("type").asString()).isEqualTo("ROOT");

		var listed = post("/load_batch_images", """
				{ "parameters": { "nursery_id": 2, "batch_id": 1, "user_id": 1, "JWT_code": "%s" }}"""
			.formatted(LocalStacks.TOKEN));

		assertThat(listed.status()).as(listed.body().toString()).isEqualTo(200);
		assertThat(listed.body().propertyNames()).containsExactly("success", "data");
		assertThat(listed.body().get("data")).hasSize(1);
		JsonNode image = listed.body().get("data").get(0);
		assertThat(image.propertyNames()).containsExactly("file_id", "filename", "type", "upload_date");
		assertThat(image.get("file_id").asLong()).isEqualTo(fileId);
		assertThat(image.get("filename").asString()).isEqualTo(file.get("file_name").asString());
		assertThat(image.get("type").asString()).isEqualTo("ROOT");
		assertThat(Instant.parse(image.get("upload_date").asString())).isBetween(before, Instant.now());
	}

	@Test
	void aRelinkWithAnotherTypeChangesTheTypeWhereTheFileStands() throws Exception {
		long first = uploadedPng();
		long second = uploadedPng();

		assertThat(link(3, 7, first, "ROOT").status()).isEqualTo(200);
		assertThat(link(3, 7, second, "LEAF").status()).isEqualTo(200);
		var relinked = link(3, 7, first, "STEM");
		var again = link(3, 7, first, "STEM");

		assertThat(relinked.status()).isEqualTo(200);
		assertThat(relinked.body().get("data").get("type").asString()).isEqualTo("STEM");
		assertThat(again.body()).isEqualTo(relinked.body());
		JsonNode listed = list(3, 7, LocalStacks.TOKEN);
		assertThat(ids(listed)).containsExactly(first, second);
		assertThat(listed.get(0).get("type").asString()).isEqualTo("STEM");
		assertThat(listed.get(1).get("type").asString()).isEqualTo("LEAF");
		assertThat(list(4, 7, LocalStacks.TOKEN)).as("another nursery's batch 7").isEmpty();
		assertThat(list(3, 8, LocalStacks.TOKEN)).as("another batch of nursery 3").isEmpty();
		assertThat(list(3, 7, OTHER_KEY)).as("another tenant's nursery 3").isEmpty();
	}

	@Test
	void refusalsLeaveTheBatchAsItWas() throws Exception {
		long file = uploadedPng();
		assertThat(link(5, 1, file, "ROOT").status()).isEqualTo(200);

		var unknown = link(5, 1, 987654321, "ROOT");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.body().propertyNames()).containsExactly("success", "message");
		assertThat(unknown.body().get("success").asBoolean()).isFalse();
		var othersFile = post("/batch_image_upload", linkBody(OTHER_KEY, 5, 1, file, "ROOT"));
		assertThat(othersFile.status()).as("another tenant's file answers as unknown").isEqualTo(404);

		var badCredential = post("/batch_image_upload", linkBody("wdwewewewe", 5, 1, file, "LEAF"));
		assertThat(badCredential.status()).isEqualTo(401);
		assertThat(badCredential.body().get("success").asBoolean()).isFalse();
		assertThat(client.send(HttpRequest.newBuilder(URI.create(origin
				+ "/load_batch_images?nursery_id=5&batch_id=1&user_id=1&JWT_code=wdwewewewe")).GET().build()).status())
			.isEqualTo(401);
		assertThat(upload("wdwewewewe", "x.png", "image/png", TestImages.unique().png(8, 8)).status()).isEqualTo(401);

		for (String parameters : List.of("\"nursery_id\": 5, \"user_id\": 1, \"batch_id\": 1, \"image_type\": \"LEAF\"",
				"\"nursery_id\": \"five\", \"user_id\": 1, \"batch_id\": 1, \"file_id\": " + file + ", \"image_type\": \"LEAF\"",
				"\"nursery_id\": 5, \"user_id\": 1, \"batch_id\": 1, \"file_id\": " + file + ", \"image_type\": 3",
				"\"nursery_id\": 5, \"user_id\": 1, \"batch_id\": 1, \"file_id\": " + file)) {
			var refused = post("/batch_image_upload",
					"{\"parameters\": {\"JWT_code\": \"" + LocalStacks.TOKEN + "\", " + parameters + "}}");
			assertThat(refused.status()).as(parameters).isEqualTo(400);
			assertThat(refused.body().get("success").asBoolean()).isFalse();
			assertThat(refused.body().get("message").asString()).isNotBlank();
		}

		JsonNode listed = list(5, 1, LocalStacks.TOKEN);
		assertThat(ids(listed)).containsExactly(file);
		assertThat(listed.get(0).get("type").asString()).isEqualTo("ROOT");
	}

	@Test
	void aFormWithItsJwtCodeAfterTheFileIsStoredForThatTenant() throws Exception {
		var answer = upload(LocalStacks.TOKEN, "late.png", "image/png", TestImages.unique().png(24, 24), false);
		assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
		assertThat(answer.body().get("file_name").asString()).endsWith(".png");
		long file = answer.body().get("file_id").asLong();

		assertThat(link(8, 1, file, "ROOT").status()).isEqualTo(200);
		assertThat(ids(list(8, 1, LocalStacks.TOKEN))).containsExactly(file);
	}

	/**
	 * The AnqiCMS attachment upload replaces a file by its id, here with a GIF: the nursery
	 * listing and a relink then name the file as it is now (its generated stem, the new
	 * extension), not as it was when it was linked.
	 */
	@Test
	void aFileReplacedThroughTheAnqiCmsUploadIsListedUnderItsCurrentName() throws Exception {
		long file = uploadedPng();
		String linkedName = link(9, 1, file, "ROOT").body().get("data").get("file_name").asString();
		assertThat(linkedName).matches("[A-Za-z0-9]{15}\\.png");
		String stem = linkedName.substring(0, linkedName.length() - ".png".length());

		var replaced = replaceThroughAnqiCms(file, "replacement.gif", TestImages.unique().gif(12, 12));
		assertThat(replaced.status()).as(replaced.body().toString()).isEqualTo(200);
		assertThat(replaced.body().get("data").get("id").asLong()).isEqualTo(file);

		// the catalogue applies the replacement right after the upload's answer
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(list(9, 1, LocalStacks.TOKEN).get(0).get("filename").asString())
				.isEqualTo(stem + ".gif"));
		assertThat(link(9, 1, file, "ROOT").body().get("data").get("file_name").asString()).isEqualTo(stem + ".gif");
		assertThat(link(9, 1, file, "LEAF").body().get("data").get("file_name").asString()).isEqualTo(stem + ".gif");
		JsonNode listed = list(9, 1, LocalStacks.TOKEN);
		assertThat(ids(listed)).containsExactly(file);
		assertThat(listed.get(0).get("filename").asString()).isEqualTo(stem + ".gif");
		assertThat(listed.get(0).get("type").asString()).isEqualTo("LEAF");
	}

	private IntakeClient.Answer replaceThroughAnqiCms(long id, String filename, byte[] bytes) throws Exception {
		String boundary = "----anqicms-" + System.nanoTime();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\n" + id + "\r\n--"
				+ boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
				+ "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
		body.writeBytes(bytes);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		return client.send(HttpRequest.newBuilder(URI.create(origin + "/attachment/upload?token=" + LocalStacks.TOKEN))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
			.build());
	}

	private long uploadedPng() throws Exception {
		var answer = upload(LocalStacks.TOKEN, "plant.png", "image/png", TestImages.unique().png(40, 30));
		assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
		assertThat(answer.body().get("file_name").asString()).endsWith(".png");
		return answer.body().get("file_id").asLong();
	}

	private IntakeClient.Answer link(long nursery, long batch, long file, String type) throws Exception {
		return post("/batch_image_upload", linkBody(LocalStacks.TOKEN, nursery, batch, file, type));
	}

	private static String linkBody(String credential, long nursery, long batch, long file, String type) {
		return "{\"parameters\":{\"nursery_id\":%d,\"user_id\":1,\"JWT_code\":\"%s\",\"batch_id\":%d,\"file_id\":%d,\"image_type\":\"%s\"}}"
			.formatted(nursery, credential, batch, file, type);
	}

	/** The batch's files by GET with query parameters. */
	private JsonNode list(long nursery, long batch, String credential) throws Exception {
		var answer = client.sendUntilTold(HttpRequest.newBuilder(URI.create(origin + "/load_batch_images?nursery_id=" + nursery
				+ "&batch_id=" + batch + "&user_id=1&JWT_code=" + credential)).GET().build());
		assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
		assertThat(answer.body().get("success").asBoolean()).isTrue();
		return answer.body().get("data");
	}

	private static List<Long> ids(JsonNode images) {
		List<Long> ids = new ArrayList<>();
		images.forEach(image -> ids.add(image.get("file_id").asLong()));
		return ids;
	}

	/** Links and listings may be repeated: one the status-service cannot tell yet (503) is sent again. */
	private IntakeClient.Answer post(String path, String json) throws Exception {
		return client.sendUntilTold(HttpRequest.newBuilder(URI.create(origin + path))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	/** A form as a browser or curl sends it: {@code JWT_code} first, then the file. */
	private IntakeClient.Answer upload(String credential, String filename, String contentType, byte[] bytes)
			throws Exception {
		return upload(credential, filename, contentType, bytes, true);
	}

	/** A form with {@code JWT_code} before or after the file. */
	private IntakeClient.Answer upload(String credential, String filename, String contentType, byte[] bytes,
			boolean credentialFirst) throws Exception {
		String boundary = "----nursery-" + System.nanoTime();
		byte[] credentialPart = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"JWT_code\"\r\n\r\n"
				+ credential + "\r\n").getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		if (credentialFirst) {
			body.writeBytes(credentialPart);
		}
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
				+ "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
		body.writeBytes(bytes);
		body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		if (!credentialFirst) {
			body.writeBytes(credentialPart);
		}
		body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		return client.send(HttpRequest.newBuilder(URI.create(origin + "/image_upload"))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
			.build());
	}

}
