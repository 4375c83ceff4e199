package dev.intake.api.retry;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/batch-upload/{batch_id}/retry} against the fake status-service of
 * {@link TestServers}; rounds are recorded instead of going to Kafka.
 */
@ApiServiceTest
class BatchRetryTest {

	@LocalServerPort
	int port;

	@Autowired
	RecordingRetryPublisher publisher;

	WebTestClient client;

	static boolean warm;

	@BeforeEach
	void setUp() {
		client = TestServers.client(port);
		if (!warm) {
			// the first answer decoded in a cold JVM on a busy machine can outlast the tests' 1 s timeout
			retry("clean", TestServers.TOKEN).returnResult(String.class);
			warm = true;
		}
		publisher.reset();
		TestServers.statusRequests.clear();
	}

	@Test
	void queuesTheRetryableItemsAsTheNextRoundWithAHigherAttempt() {
		retry("finished", TestServers.TOKEN).expectStatus()
			.isAccepted()
			.expectBody()
			.json("{\"code\":200,\"message\":\"success\",\"data\":{\"batch_id\":\"finished\",\"total_count\":3,"
					+ "\"retry_count\":2,\"retry_round\":2,\"message\":\"Batch retry submitted, please use batch id "
					+ "to query upload progress.\",\"status\":\"TASK_PROCESSING\"}}", true);

		assertThat(TestServers.statusRequests).containsExactly("local/finished/retryable");
		RecordingRetryPublisher.Published round = publisher.published().get(0);
		assertThat(round.round().tenant()).isEqualTo("local");
		assertThat(round.round().retryRound()).isEqualTo(2);
		assertThat(round.round().indices()).containsExactly(1, 2);
		assertThat(round.jobs()).extracting(IngestImage::attempt).containsExactly(3, 3);
		assertThat(round.jobs()).extracting(IngestImage::itemId)
			.containsExactly("local/finished/1", "local/finished/2");
		assertThat(round.jobs().get(1).source()).isEqualTo(new ItemSource.Remote("https://images.example/c.png"));
		assertThat(round.jobs().get(0).source()).isInstanceOf(ItemSource.Staged.class);
	}

	@Test
	void aBatchWhoseEveryItemRunsAgainIsPending() {
		retry("all-failed", TestServers.TOKEN).expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.data.status")
			.isEqualTo("TASK_PENDING")
			.jsonPath("$.data.retry_round")
			.isEqualTo(1);
	}

	@Test
	void refusesABatchStillProcessing() {
		retry("busy", TestServers.TOKEN).expectStatus()
			.isEqualTo(409)
			.expectBody()
			.json("{\"code\":1204,\"message\":\"" + BatchRetry.STILL_PROCESSING + "\"}", true);
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void refusesABatchWithNothingToRetry() {
		retry("clean", TestServers.TOKEN).expectStatus()
			.isEqualTo(409)
			.expectBody()
			.json("{\"code\":1205,\"message\":\"The batch has no failed items to retry.\"}", true);
		retry("stuck", TestServers.TOKEN).expectStatus()
			.isEqualTo(409)
			.expectBody()
			.json("{\"code\":1205,\"message\":\"" + BatchRetry.NOTHING_RETRYABLE + "\"}", true);
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void anUnknownOrImpossibleBatchIs1203() {
		for (String batchId : new String[] { "missing", "not valid!" }) {
			retry(batchId, TestServers.TOKEN).expectStatus()
				.isNotFound()
				.expectBody()
				.json("{\"code\":1203,\"message\":\"Batch ID does not exist or has expired.\"}", true);
		}
		assertThat(TestServers.statusRequests).containsExactly("local/missing/retryable");
	}

	@Test
	void asksForTheTenantOfTheCredentialOnly() {
		retry("finished", TestServers.OTHER_TENANT_TOKEN).expectStatus().isNotFound();
		assertThat(TestServers.statusRequests).containsExactly("other/finished/retryable");
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void needsACredential() {
		client.post().uri("/v1/batch-upload/finished/retry").exchange().expectStatus().isUnauthorized();
		assertThat(TestServers.statusRequests).isEmpty();
	}

	@Test
	void statusServiceOrQueueDownIs503WithRetryAfter() {
		retry("catching-up", TestServers.TOKEN).expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals("Retry-After", "1")
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo(1500);

		publisher.failWith(new IllegalStateException("broker down"));
		retry("finished", TestServers.TOKEN).expectStatus()
			.isEqualTo(503)
			.expectBody()
			.json("{\"code\":1500,\"message\":\"" + BatchRetry.PUBLISH_FAILED + "\"}", true);
	}

	private WebTestClient.ResponseSpec retry(String batchId, String token) {
		return client.post()
			.uri("/v1/batch-upload/{batchId}/retry", batchId)
			.header("Authorization", "Bearer " + token)
			.exchange();
	}

}
