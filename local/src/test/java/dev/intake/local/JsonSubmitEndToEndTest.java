package dev.intake.local;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Base64;

import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The asynchronous JSON submit over the real stack: a Base64 item is staged by the api-service,
 * a URL item is fetched by a worker from the loopback server of the test's stack (loopback is
 * allowed for that stack only, through the worker's named setting), a 404 URL fails that item only.
 */
@Order(SharedStack.FAILING)
class JsonSubmitEndToEndTest {

	@RegisterExtension
	static final SharedStack stack = new SharedStack();

	static byte[] served = TestImages.unique().png(40, 30);

	static LocalIntake intake;

	static IntakeClient client;

	@BeforeAll
	static void start() throws Exception {
		stack.serve("/json/photo.png", exchange -> {
			exchange.getResponseHeaders().add("Content-Type", "image/png");
			exchange.sendResponseHeaders(200, served.length);
			exchange.getResponseBody().write(served);
			exchange.close();
		});
		intake = stack.intake();
		client = LocalStacks.clientOf(intake);
	}

	@Test
	void base64AndUrlItemsAreStoredAndABrokenUrlFailsOnlyItsItem() throws Exception {
		byte[] inline = TestImages.unique().jpeg(64, 48);
		String originUrl = stack.loopbackUrl("/json");
		String body = """
				{"batch_id": "json-e2e", "items": [
				  {"type": "base64", "data": "data:image/jpeg;base64,%s", "image_name": "inline.jpg"},
				  {"type": "url", "url": "%s/photo.png", "image_name": "fetched.png"},
				  {"type": "url", "url": "%s/missing.png", "image_name": "missing.png"}
				]}""".formatted(Base64.getEncoder().encodeToString(inline), originUrl, originUrl);

		var submitted = client.send(HttpRequest.newBuilder(URI.create(intake.settings().baseUrl() + "/batch-upload/submit"))
			.header("Authorization", "Bearer " + intake.settings().apiToken())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());

		assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(200);
		assertThat(submitted.body().get("data").get("total_count").asInt()).isEqualTo(3);
		JsonNode done = client.awaitCompletion("json-e2e", Duration.ofMinutes(3));
		assertThat(done.get("success_count").asInt()).isEqualTo(2);
		assertThat(done.get("failed_count").asInt()).isEqualTo(1);
		JsonNode results = done.get("results");
		assertThat(client.get(results.get(0).get("image_url").asString()).body()).isEqualTo(inline);
		assertThat(client.get(results.get(1).get("image_url").asString()).body()).isEqualTo(served);
		assertThat(results.get(2).get("status").asString()).isEqualTo("TASK_FAILED");
		assertThat(results.get(2).get("error_code").asString()).isEqualTo("FETCH_FAILED");
		assertThat(results.get(2).get("error_message").asString()).contains("404");
	}

	@Test
	void aUrlOnAPortThatIsNotAllowedFailsItsItem() throws Exception {
		String body = """
				{"batch_id": "json-refused", "items": [{"type": "url", "url": "http://127.0.0.1:1/x.png"}]}""";

		client.send(HttpRequest.newBuilder(URI.create(intake.settings().baseUrl() + "/batch-upload/submit"))
			.header("Authorization", "Bearer " + intake.settings().apiToken())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());

		JsonNode done = client.awaitCompletion("json-refused", Duration.ofMinutes(3));
		assertThat(done.get("results").get(0).get("error_code").asString()).isEqualTo("URL_REFUSED");
	}

	/**
	 * Names long enough that the batch's record is over what the broker takes: a 400 in the batch
	 * upload's shape, not an outage to retry; nothing is queued and the batch id stays free.
	 */
	@Test
	void aBatchTooLargeToQueueIsRefusedAndLeavesItsIdFree() throws Exception {
		StringBuilder items = new StringBuilder();
		for (int i = 0; i < 20; i++) {
			items.append(i == 0 ? "" : ",").append("{\"type\": \"url\", \"url\": \"http://127.0.0.1:1/").append(i)
				.append(".png\", \"image_name\": \"").append("n".repeat(60_000)).append("\"}");
		}
		IntakeClient.Answer refused = submit("{\"batch_id\": \"json-too-large\", \"items\": [" + items + "]}");
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.body().get("code").asInt()).isEqualTo(1000);
		assertThat(refused.body().get("message").asString()).contains("too large to queue");

		assertThat(client.status("json-too-large").status()).isEqualTo(404);

		IntakeClient.Answer accepted = submit("""
				{"batch_id": "json-too-large", "items": [{"type": "url", "url": "http://127.0.0.1:1/x.png"}]}""");
		assertThat(accepted.status()).isEqualTo(200);
	}

	private IntakeClient.Answer submit(String body) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(intake.settings().baseUrl() + "/batch-upload/submit"))
			.header("Authorization", "Bearer " + intake.settings().apiToken())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

}
