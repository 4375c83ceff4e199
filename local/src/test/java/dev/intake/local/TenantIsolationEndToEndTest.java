package dev.intake.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;

import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenant isolation over the real stack (catalogue rows 68 and 69): a second tenant asking for the
 * first tenant's batch, with or without naming the first tenant in headers, query or body, gets
 * exactly the answer of a batch that does not exist; the status-service's internal API refuses
 * callers without the launcher's service credential.
 */
@Timeout(300)
@Order(SharedStack.CLEAN)
class TenantIsolationEndToEndTest {

	static final String OTHER_KEY = SharedStack.OTHER_KEY;

	@RegisterExtension
	static final SharedStack stack = new SharedStack();

	static LocalIntake intake;

	static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	static void start() throws Exception {
		intake = stack.intake();
	}

	@Test
	void anotherTenantsBatchAnswersExactlyLikeOneThatDoesNotExist() throws Exception {
		String image = Base64.getEncoder().encodeToString(TestImages.unique().png(20, 10));
		String owner = intake.settings().apiToken();
		HttpResponse<String> submitted = send(post("/batch-upload/submit", owner, """
				{"batch_id": "isolated", "tenant": "other", "items": [{"type": "base64", "data": "%s"}]}"""
			.formatted(image)).header("X-Tenant-Id", "other").build());
		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
		LocalStacks.clientOf(intake).awaitCompletion("isolated", Duration.ofMinutes(3));

		HttpResponse<String> missing = send(get("/batch-upload/status/no-such-batch", OTHER_KEY).build());
		assertThat(missing.statusCode()).isEqualTo(404);
		for (HttpRequest.Builder foreign : new HttpRequest.Builder[] { get("/batch-upload/status/isolated", OTHER_KEY),
				get("/batch-upload/status/isolated", OTHER_KEY).header("X-Tenant-Id", "local").header("X-Tenant", "local"),
				get("/batch-upload/status/isolated?tenant=local&tenant_id=local", OTHER_KEY) }) {
			HttpResponse<String> answer = send(foreign.build());
			assertThat(answer.statusCode()).isEqualTo(missing.statusCode());
			assertThat(answer.body()).isEqualTo(missing.body());
			assertThat(answer.headers().firstValue("Content-Type")).isEqualTo(missing.headers().firstValue("Content-Type"));
		}
		HttpResponse<String> missingEvents = send(get("/batch-upload/status/no-such-batch/events", OTHER_KEY).build());
		HttpResponse<String> foreignEvents = send(get("/batch-upload/status/isolated/events", OTHER_KEY).build());
		assertThat(foreignEvents.statusCode()).isEqualTo(missingEvents.statusCode()).isEqualTo(404);
		assertThat(foreignEvents.body()).isEqualTo(missingEvents.body());

		// the owner still sees it, and the body field naming another tenant did not move it
		assertThat(send(get("/batch-upload/status/isolated", owner).build()).statusCode()).isEqualTo(200);
	}

	@Test
	void theStatusServicesInternalApiWantsTheServiceCredential() throws Exception {
		URI internal = URI.create(
				"http://127.0.0.1:" + intake.settings().statusPort() + "/internal/batches/local/isolated");
		HttpResponse<String> answer = send(HttpRequest.newBuilder(internal).timeout(Duration.ofSeconds(30)).build());
		assertThat(answer.statusCode()).isEqualTo(401);
		assertThat(answer.body()).startsWith("{\"code\":1001,");
	}

	private static HttpRequest.Builder get(String path, String token) {
		return HttpRequest.newBuilder(URI.create(intake.settings().baseUrl() + path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + token);
	}

	private static HttpRequest.Builder post(String path, String token, String json) {
		return HttpRequest.newBuilder(URI.create(intake.settings().baseUrl() + path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
	}

	private static HttpResponse<String> send(HttpRequest request) throws Exception {
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
