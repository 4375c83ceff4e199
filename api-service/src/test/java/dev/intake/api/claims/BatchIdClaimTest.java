package dev.intake.api.claims;

import dev.intake.api.publish.RecordingBatchPublisher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import dev.intake.contracts.ObjectKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.json.JsonMapper;


import static dev.intake.api.TestServers.deleteStaged;
import static dev.intake.api.TestServers.staged;
import static dev.intake.api.TestServers.statusRequests;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batch ids are claimed once per tenant: a reused {@code batch_id} is a 409 unless the request
 * repeats the {@code Idempotency-Key} of the one that created the batch, which gets the first
 * answer again with nothing queued twice and nothing left staged.
 */
@ApiServiceTest
class BatchIdClaimTest {

	@LocalServerPort
	int port;

	@Autowired
	RecordingBatchPublisher publisher;

	WebTestClient client;

	String batchId;

	@BeforeEach
	void setUp() {
		client = TestServers.client(port);
		publisher.reset();
		batchId = "claim-" + UUID.randomUUID();
		deleteStaged();
	}

	@Test
	void aReusedBatchIdIsAConflictAndNothingIsQueued() {
		files(TestServers.TOKEN, batchId, null, 2).expectStatus().isOk();

		files(TestServers.TOKEN, batchId, null, 3).expectStatus()
			.isEqualTo(409)
			.expectBody()
			.json("""
					{"code":1002,"message":"The batch_id '%s' already exists. Choose another batch_id, or resend the Idempotency-Key of the request that created it."}"""
				.formatted(batchId), true);

		assertThat(publisher.published()).hasSize(1);
		assertThat(staged()).hasSize(2);
	}

	@Test
	void aRetryWithTheSameIdempotencyKeyGetsTheFirstAnswerAndQueuesNothingMore() {
		String first = files(TestServers.TOKEN, batchId, "order-42-attempt", 3).expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		String retry = files(TestServers.TOKEN, batchId, "order-42-attempt", 3).expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(retry).isEqualTo(first);
		assertThat(publisher.published()).hasSize(1);
		assertThat(staged()).hasSize(3);
	}

	@Test
	void aDifferentIdempotencyKeyForAnExistingBatchIdIsAConflict() {
		files(TestServers.TOKEN, batchId, "key-one", 1).expectStatus().isOk();

		files(TestServers.TOKEN, batchId, "key-two", 1).expectStatus().isEqualTo(409);
		files(TestServers.TOKEN, batchId, null, 1).expectStatus().isEqualTo(409);

		assertThat(publisher.published()).hasSize(1);
	}

	@Test
	void withoutABatchIdTheIdempotencyKeyLeadsARetryToTheSameBatch() {
		String key = UUID.randomUUID().toString();
		EntityExchangeResult<String> first = files(TestServers.TOKEN, null, key, 2).expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();
		EntityExchangeResult<String> retry = files(TestServers.TOKEN, null, key, 2).expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();

		assertThat(retry.getResponseBody()).isEqualTo(first.getResponseBody());
		assertThat(publisher.published()).hasSize(1);
		assertThat(publisher.published().get(0).batch().batchId()).matches("[0-9a-f]{24}");
	}

	@Test
	void batchIdsBelongToTheirTenant() {
		files(TestServers.TOKEN, batchId, null, 1).expectStatus().isOk();
		files(TestServers.OTHER_TENANT_TOKEN, batchId, null, 1).expectStatus().isOk();

		assertThat(publisher.published()).extracting(published -> published.batch().tenant())
			.containsExactly("local", "other");
	}

	@Test
	void aBatchThatCouldNotBeQueuedGivesItsIdBack() {
		publisher.failWith(new IllegalStateException("broker down"));
		files(TestServers.TOKEN, batchId, null, 1).expectStatus().isEqualTo(503);
		assertThat(claimExists()).isFalse();

		publisher.reset();
		files(TestServers.TOKEN, batchId, null, 1).expectStatus().isOk();
		assertThat(claimExists()).isTrue();
	}

	@Test
	void aClaimLeftByASubmitThatDiedBeforeQueueingIsTakenOver() {
		// the status-service knows no batch of this id, and the claim is older than the abandon period
		writeClaim(batchId, Instant.now().minus(Duration.ofMinutes(10)), "hash-of-the-dead-request");

		files(TestServers.TOKEN, batchId, null, 2).expectStatus().isOk();

		assertThat(publisher.published()).hasSize(1);
		assertThat(statusRequests).contains("local/" + batchId);
	}

	@Test
	void aRetryOfASubmitThatDiedBeforeQueueingRunsAgainInsteadOfNamingABatchThatDoesNotExist() {
		String key = "retry-after-crash";
		writeClaim(batchId, Instant.now().minus(Duration.ofMinutes(10)), IdempotencyKey.of(key).hash());

		files(TestServers.TOKEN, batchId, key, 2).expectStatus().isOk();

		assertThat(publisher.published()).hasSize(1);
	}

	@Test
	void anOldClaimOfABatchTheStatusServiceKnowsStays() {
		String known = "known";
		writeClaim(known, Instant.now().minus(Duration.ofMinutes(10)), null);
		try {
			files(TestServers.TOKEN, known, null, 1).expectStatus().isEqualTo(409);
			assertThat(publisher.published()).isEmpty();
		}
		finally {
			TestServers.s3().deleteObject(delete -> delete.bucket(TestServers.BUCKET)
				.key(ObjectKeys.batchClaim("local", known)));
		}
	}

	@Test
	void aRecentClaimIsNotTakenOverEvenIfItsBatchIsNotVisibleYet() {
		// the request that wrote it may still be queueing its batch
		writeClaim(batchId, Instant.now().minus(Duration.ofSeconds(20)), null);

		files(TestServers.TOKEN, batchId, null, 1).expectStatus().isEqualTo(409);

		assertThat(publisher.published()).isEmpty();
		assertThat(statusRequests).doesNotContain("local/" + batchId);
	}

	@Test
	void theJsonSubmitClaimsBatchIdsToo() {
		String body = """
				{"batch_id": "%s", "items": [{"type": "url", "url": "https://images.example.com/a.jpg"}]}"""
			.formatted(batchId);
		json(body, "json-key").expectStatus().isOk();
		json(body, "json-key").expectStatus().isOk();
		json(body, null).expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo(1002);

		assertThat(publisher.published()).hasSize(1);
	}

	@Test
	void ofTwoConcurrentRequestsForOneBatchIdExactlyOneWins() {
		List<CompletableFuture<Integer>> answers = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			answers.add(CompletableFuture.supplyAsync(() -> files(TestServers.TOKEN, batchId, null, 2)
				.returnResult(String.class)
				.getStatus()
				.value()));
		}

		assertThat(answers).extracting(CompletableFuture::join).containsExactlyInAnyOrder(200, 409, 409, 409);
		assertThat(publisher.published()).hasSize(1);
		assertThat(staged()).hasSize(2);
	}

	@Test
	void aMalformedIdempotencyKeyIsRefused() {
		files(TestServers.TOKEN, batchId, "has spaces", 1).expectStatus()
			.isBadRequest()
			.expectBody()
			.json("""
					{"code":1000,"message":"The Idempotency-Key header must be 1 to 255 visible ASCII characters."}""",
					true);
		files(TestServers.TOKEN, batchId, "x".repeat(256), 1).expectStatus().isBadRequest();

		assertThat(publisher.published()).isEmpty();
		assertThat(staged()).isEmpty();
	}

	private WebTestClient.ResponseSpec files(String token, String batchId, String idempotencyKey, int count) {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		Random random = new Random(count);
		for (int i = 0; i < count; i++) {
			byte[] content = new byte[1000];
			random.nextBytes(content);
			body.part("files", content).filename("image-" + i + ".jpg").contentType(MediaType.IMAGE_JPEG);
		}
		if (batchId != null) {
			body.part("batch_id", batchId);
		}
		WebTestClient.RequestBodySpec request = client.post()
			.uri("/v1/batch-upload/submit-with-files")
			.header("Authorization", "Bearer " + token)
			.contentType(MediaType.MULTIPART_FORM_DATA);
		if (idempotencyKey != null) {
			request = request.header("Idempotency-Key", idempotencyKey);
		}
		return request.bodyValue(body.build()).exchange();
	}

	private WebTestClient.ResponseSpec json(String body, String idempotencyKey) {
		WebTestClient.RequestBodySpec request = client.post()
			.uri("/v1/batch-upload/submit")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.contentType(MediaType.APPLICATION_JSON);
		if (idempotencyKey != null) {
			request = request.header("Idempotency-Key", idempotencyKey);
		}
		return request.bodyValue(body).exchange();
	}

	private static void writeClaim(String batchId, Instant createdAt, String idempotencyKeyHash) {
		String claim = JsonMapper.builder()
			.build()
			.writeValueAsString(new BatchClaims.Claim(batchId, 2, idempotencyKeyHash, createdAt));
		TestServers.s3()
			.putObject(put -> put.bucket(TestServers.BUCKET).key(ObjectKeys.batchClaim("local", batchId)),
					RequestBody.fromString(claim));
	}

	private boolean claimExists() {
		return TestServers.s3()
			.listObjectsV2(list -> list.bucket(TestServers.BUCKET).prefix(ObjectKeys.batchClaim("local", batchId)))
			.keyCount() > 0;
	}

}
