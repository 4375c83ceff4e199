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
		TestServers.statusConditions.clear();
		TestServers.TAGGED_ANSWERS.clear();
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
	void aFinishedBatchsAnswerIsAskedForAgainByItsTagAndNeverAnsweredStale() {
		TestServers.TAGGED_ANSWERS.put("done", new TestServers.Tagged("\"v1\"", "{\"batch_id\":\"done\",\"n\":1}"));
		String first = "{\"code\":200,\"message\":\"success\",\"data\":{\"batch_id\":\"done\",\"n\":1}}";

		get("done", TestServers.TOKEN).expectStatus().isOk().expectHeader().valueEquals("ETag", "\"v1\"")
			.expectBody().json(first, true);
		get("done", TestServers.TOKEN).expectStatus().isOk().expectHeader().valueEquals("ETag", "\"v1\"")
			.expectBody().json(first, true);
		assertThat(TestServers.statusConditions).as("asked again with the tag, answered 304 by the status-service")
			.containsExactly("", "\"v1\"");

		// the batch changed (a retried item): the status-service's 200 replaces the kept answer
		TestServers.TAGGED_ANSWERS.put("done", new TestServers.Tagged("\"v2\"", "{\"batch_id\":\"done\",\"n\":2}"));
		get("done", TestServers.TOKEN).expectStatus().isOk().expectHeader().valueEquals("ETag", "\"v2\"")
			.expectBody().jsonPath("$.data.n").isEqualTo(2);
		get("done", TestServers.TOKEN).expectBody().jsonPath("$.data.n").isEqualTo(2);
		assertThat(TestServers.statusConditions).endsWith("\"v1\"", "\"v2\"");

		// the batch expired: 404, and the next look-up asks without a tag
		TestServers.TAGGED_ANSWERS.remove("done");
		get("done", TestServers.TOKEN).expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo(1203);
		get("done", TestServers.TOKEN).expectStatus().isNotFound();
		assertThat(TestServers.statusConditions).endsWith("\"v2\"", "");
	}

	@Test
	void aClientHoldingTheCurrentAnswerIsAnswered304() {
		TestServers.TAGGED_ANSWERS.put("done", new TestServers.Tagged("\"v1\"", "{\"batch_id\":\"done\"}"));

		client.get()
			.uri("/v1/batch-upload/status/done")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.header("If-None-Match", "\"v1\"")
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectHeader()
			.valueEquals("ETag", "\"v1\"")
			.expectBody()
			.isEmpty();
		client.get()
			.uri("/v1/batch-upload/status/done")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.header("If-None-Match", "\"v0\"")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data.batch_id")
			.isEqualTo("done");
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
