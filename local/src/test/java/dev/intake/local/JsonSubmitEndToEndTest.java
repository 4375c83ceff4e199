package dev.intake.local;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import com.sun.net.httpserver.HttpServer;
import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The asynchronous JSON submit over the real stack: a Base64 item is staged by the api-service,
 * a URL item is fetched by a worker from a loopback origin this test starts (loopback is allowed
 * for this stack only, through the worker's named setting), a 404 URL fails that item only.
 */
class JsonSubmitEndToEndTest {

	@TempDir
	static Path dataDir;

	static HttpServer origin;

	static byte[] served = TestImages.unique().png(40, 30);

	static LocalIntake intake;

	static IntakeClient client;

	@BeforeAll
	static void start() throws Exception {
		origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		origin.createContext("/photo.png", exchange -> {
			exchange.getResponseHeaders().add("Content-Type", "image/png");
			exchange.sendResponseHeaders(200, served.length);
			exchange.getResponseBody().write(served);
			exchange.close();
		});
		origin.start();
		intake = LocalStacks.withLoopbackOrigin(dataDir, origin);
		client = LocalStacks.clientOf(intake);
	}

	@AfterAll
	static void stop() {
		LocalStacks.stop(intake, origin);
	}

	@Test
	void base64AndUrlItemsAreStoredAndABrokenUrlFailsOnlyItsItem() throws Exception {
		byte[] inline = TestImages.unique().jpeg(64, 48);
		String originUrl = "http://127.0.0.1:" + origin.getAddress().getPort();
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
		JsonNode done = client.awaitCompletion("json-e2e", Duration.ofSeconds(90));
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

		JsonNode done = client.awaitCompletion("json-refused", Duration.ofSeconds(60));
		assertThat(done.get("results").get(0).get("error_code").asString()).isEqualTo("URL_REFUSED");
	}

}
