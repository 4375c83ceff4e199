package dev.intake.api.status;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v1/batch-upload/status/{batch_id}}, relayed to a fake status-service. */
@ApiServiceTest
class BatchStatusTest {

	@LocalServerPort
	int port;

	WebTestClient client;

	@BeforeEach
	void setUp() {
		client = TestServers.client(port);
		TestServers.statusRequests.clear();
	}

	@Test
	void relaysTheStatusOfTheCallersBatch() {
		get("known", TestServers.TOKEN).expectStatus()
			.isOk()
			.expectBody()
			.json("{\"code\":200,\"message\":\"success\",\"data\":{\"batch_id\":\"known\"}}", true);
		assertThat(TestServers.statusRequests).containsExactly("local/known");
	}

	@Test
	void asksForTheTenantOfTheCredentialOnly() {
		client.get()
			.uri("/v1/batch-upload/status/known")
			.header("Authorization", "Bearer " + TestServers.OTHER_TENANT_TOKEN)
			.header("X-Tenant", "local")
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(TestServers.statusRequests).containsExactly("other/known");
	}

	@Test
	void relaysNotFound() {
		get("missing", TestServers.TOKEN).expectStatus()
			.isNotFound()
			.expectBody()
			.json("{\"code\":1203,\"message\":\"Batch ID does not exist or has expired.\"}", true);
	}

	@Test
	void relaysRetryAfter() {
		get("catching-up", TestServers.TOKEN).expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals("Retry-After", "2")
			.expectBody()
			.json("{\"code\":1500,\"message\":\"catching up\"}", true);
	}

	@Test
	void answersImpossibleIdsAsUnknownWithoutAsking() {
		get("not valid!", TestServers.TOKEN).expectStatus()
			.isNotFound()
			.expectBody()
			.json("{\"code\":1203,\"message\":\"Batch ID does not exist or has expired.\"}", true);
		assertThat(TestServers.statusRequests).isEmpty();
	}

	@Test
	void answersUnavailableWhenTheStatusServiceIsSlow() {
		expectUnavailable("slow");
	}

	@Test
	void answersUnavailableWhenTheStatusServiceDropsTheConnection() {
		expectUnavailable("drop");
	}

	private void expectUnavailable(String batchId) {
		get(batchId, TestServers.TOKEN).expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals("Retry-After", "1")
			.expectBody()
			.json("{\"code\":1500,\"message\":\"Batch status is temporarily unavailable, please retry.\"}", true);
	}

	private WebTestClient.ResponseSpec get(String batchId, String token) {
		return client.get()
			.uri("/v1/batch-upload/status/{id}", batchId)
			.header("Authorization", "Bearer " + token)
			.exchange();
	}

}
