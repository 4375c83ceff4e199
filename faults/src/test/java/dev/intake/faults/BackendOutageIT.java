package dev.intake.faults;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker restarted, and S3 unreachable for 30 s, each in the middle of a batch. Every item
 * ends once and nothing is left behind; an item can only fail because its retries ran out while
 * the backend was away ({@code RETRIES_EXHAUSTED}, its staged bytes kept for a retry).
 */
@ExtendWith(Faults.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BackendOutageIT {

	private static final int IMAGES = 120;

	private static final Duration BROKER_DOWN = Duration.ofSeconds(10);

	private static final Duration S3_DOWN = Duration.ofSeconds(30);

	/**
	 * The S3 scenario's retry window: with the stack's {@link Stack#DELIVERY_LIMIT} a job is
	 * released twice, after 6-9 s and then after 35-46 s of waiting (the eight waits 0.5, 1, 2, 4 |
	 * 8, 12, 12, 12 s, each give or take its jitter), so a job that failed as S3 went away is
	 * delivered again after it is back, as with the default window of about 90 s, which would only
	 * keep the worker's threads waiting longer.
	 */
	private static final String[] S3_OUTAGE_RETRIES = { "--intake.worker.jobs.retry.max-interval=12s",
			"--intake.worker.jobs.retry.jitter=100ms" };

	@AfterEach
	void endScenario() {
		Faults.endScenario();
	}

	@Test
	void theBrokerRestartedMidBatch() throws Exception {
		Stack stack = Stack.shared();
		Api api = new Api(stack, "broker");
		Faults.involve(stack.startWorker("broker"));
		String batch = "broker-" + System.currentTimeMillis();
		api.submitFiles(batch, TestImages.series(batch, IMAGES));
		int atStop = api.awaitProcessed(batch, IMAGES / 6, Duration.ofMinutes(3));
		long begin = System.nanoTime();
		stack.broker().stop();
		Faults.log("broker stopped at " + atStop + "/" + IMAGES + " processed; down for " + BROKER_DOWN);
		Faults.sleep(BROKER_DOWN);
		stack.restartBroker();
		Faults.log("broker back " + Faults.since(begin) + " after the stop");
		JsonNode done = api.awaitDone(batch, Duration.ofMinutes(6));
		Faults.log("batch done " + Faults.since(begin) + " after the broker stopped");
		expectOnlyRetriesExhausted(AfterChecks.verify(stack, api.tenant(), done));
	}

	/**
	 * S3 gone for 30 s mid-batch. An item whose result was published just before S3 went away
	 * cannot delete its staged object at once; the worker deletes it once S3 answers again
	 * ({@code StagedDeletes}), so nothing is left behind.
	 */
	@Test
	void s3UnreachableFor30SecondsMidBatch() throws Exception {
		Stack stack = Stack.shared();
		Api api = new Api(stack, "s3");
		Faults.involve(stack.startWorker("s3", S3_OUTAGE_RETRIES));
		String batch = "s3-" + System.currentTimeMillis();
		api.submitFiles(batch, TestImages.series(batch, IMAGES));
		int atStop = api.awaitProcessed(batch, IMAGES / 6, Duration.ofMinutes(3));
		long begin = System.nanoTime();
		stack.s3().stop();
		Faults.log("S3 stopped at " + atStop + "/" + IMAGES + " processed; unreachable for " + S3_DOWN);
		Faults.sleep(S3_DOWN);
		JsonNode during = api.status(batch);
		Faults.log("status while S3 is away: " + Api.summary(during));
		stack.restartS3();
		Faults.log("S3 back " + Faults.since(begin) + " after the stop");
		JsonNode done = api.awaitDone(batch, Duration.ofMinutes(6));
		Faults.log("batch done " + Faults.since(begin) + " after S3 stopped");
		expectOnlyRetriesExhausted(AfterChecks.verify(stack, api.tenant(), done));
	}

	private static void expectOnlyRetriesExhausted(AfterChecks.Outcome outcome) {
		assertThat(outcome.failedByCode().keySet()).as("the only failure an outage may cause")
			.isSubsetOf(Set.of("RETRIES_EXHAUSTED"));
		assertThat(outcome.succeeded() + outcome.failed()).isEqualTo(IMAGES);
	}

}
