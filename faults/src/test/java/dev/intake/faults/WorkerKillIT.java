package dev.intake.faults;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workers killed with SIGKILL in the middle of a 300-image batch: restarted, or with a second
 * worker left to finish. Every item succeeds exactly once and nothing is left behind.
 */
@ExtendWith(Faults.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class WorkerKillIT {

	private static final int IMAGES = 300;

	@AfterEach
	void endScenario() {
		Faults.endScenario();
	}

	@Test
	void aWorkerKilledMidBatchAndStartedAgainFinishesTheBatch() throws Exception {
		Stack stack = Stack.shared();
		Api api = new Api(stack, "kill");
		Child worker = Faults.involve(stack.startWorker("kill"));
		long begin = System.nanoTime();
		String batch = "kill-" + System.currentTimeMillis();
		api.submitFiles(batch, TestImages.series(batch, IMAGES));
		api.awaitProcessed(batch, IMAGES / 10, Duration.ofMinutes(3));
		worker.kill();
		int atKill = processedNow(api, batch);
		Faults.log("killed " + worker.name() + " (pid " + worker.pid() + ") at " + atKill + "/" + IMAGES + " processed, "
				+ Faults.since(begin) + " after submit");
		assertThat(atKill).as("the worker was killed in the middle of the batch").isLessThan(IMAGES);
		worker.restart();
		JsonNode done = api.awaitDone(batch, Duration.ofMinutes(5));
		Faults.log("batch done " + Faults.since(begin) + " after submit");
		AfterChecks.Outcome outcome = AfterChecks.verify(stack, api.tenant(), done);
		assertThat(outcome.succeeded()).as("a killed worker loses no item and fails none").isEqualTo(IMAGES);
	}

	@Test
	void whenOneOfTwoWorkersIsKilledTheOtherFinishesTheBatch() throws Exception {
		Stack stack = Stack.shared();
		Api api = new Api(stack, "pair");
		List<Child> pair = stack.startWorkers("pair", 2);
		Child killed = Faults.involve(pair.get(0));
		Child survivor = Faults.involve(pair.get(1));
		long begin = System.nanoTime();
		String batch = "pair-" + System.currentTimeMillis();
		api.submitFiles(batch, TestImages.series(batch, IMAGES));
		api.awaitProcessed(batch, IMAGES / 10, Duration.ofMinutes(3));
		killed.kill();
		int atKill = processedNow(api, batch);
		int storedByKilled = stored(killed, batch);
		Faults.log("killed " + killed.name() + " after it stored " + storedByKilled + " items, at " + atKill + "/"
				+ IMAGES + " processed, " + Faults.since(begin) + " after submit");
		assertThat(atKill).as("the worker was killed in the middle of the batch").isLessThan(IMAGES);
		JsonNode done = api.awaitDone(batch, Duration.ofMinutes(5));
		int storedBySurvivor = stored(survivor, batch);
		Faults.log("batch done " + Faults.since(begin) + " after submit; " + survivor.name() + " stored "
				+ storedBySurvivor + " items");
		AfterChecks.Outcome outcome = AfterChecks.verify(stack, api.tenant(), done);
		assertThat(outcome.succeeded()).as("a killed worker loses no item and fails none").isEqualTo(IMAGES);
		// a worker logs an item after its result is published and before its offset is committed, so
		// every item the killed one did not log was redelivered to (and logged by) the survivor
		assertThat(storedByKilled + storedBySurvivor).as("items stored by the two workers").isGreaterThanOrEqualTo(IMAGES);
		assertThat(storedByKilled).as("the killed worker had its share of the batch").isPositive();
	}

	private static int processedNow(Api api, String batch) {
		return await().alias("a status for " + batch)
			.atMost(Duration.ofMinutes(2))
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> api.status(batch), Objects::nonNull)
			.get("processed_count")
			.asInt();
	}

	/** Items of the batch a worker's log says it stored. */
	private static int stored(Child worker, String batch) {
		String marker = "batch=" + batch + " ";
		return (int) worker.logText().lines().filter(line -> line.contains("Stored item") && line.contains(marker)).count();
	}

}
