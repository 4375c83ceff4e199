package dev.intake.faults;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.intake.contracts.BatchKey;
import dev.intake.contracts.ItemIds;
import dev.intake.contracts.Topics;
import dev.intake.testsupport.TestImages;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job whose decode kills the worker process (its test hook {@code halt-decode-of} calls
 * {@code Runtime.halt}, as a native decoder crash or an OOM kill would), in a pool of two workers
 * that a supervisor starts again whenever one dies. The broker counts the job's deliveries
 * durably: after {@link Stack#DELIVERY_LIMIT}{@code - 1} crashes, its last delivery fails the item
 * {@code PROCESSING_FAILED} unread and dead-letters the job with the reason; the rest of the batch
 * succeeds and the pool goes on working.
 */
@ExtendWith(Faults.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class WorkerHaltIT {

	private static final String TENANT = "halt";

	private static final int IMAGES = 8;

	private static final String HALTING = "Halting the worker in the decode of";

	@AfterEach
	void endScenario() {
		Faults.endScenario();
	}

	@Test
	void aJobThatHaltsItsWorkerEndsProcessingFailedAfterItsDeliveriesWhileThePoolGoesOn() throws Exception {
		Stack stack = Stack.shared();
		String batch = "halt-" + System.currentTimeMillis();
		List<TestImages.Named> images = TestImages.series(batch, IMAGES);
		int bad = 3;
		// one job per worker at a time: a crash costs a delivery only to the job that caused it
		String[] settings = { "--intake.worker.fault-injection.halt-decode-of=" + images.get(bad).name(),
				"--intake.worker.jobs.concurrency=1", "--intake.worker.jobs.max-poll-records=1" };
		List<Child> pool = stack.startWorkers(TENANT, 2, settings);
		pool.forEach(Faults::involve);
		AtomicInteger respawns = new AtomicInteger();
		ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor();
		supervisor.scheduleWithFixedDelay(() -> pool.forEach(worker -> {
			if (!worker.isAlive()) {
				Faults.log(worker.name() + " died; starting it again");
				respawns.incrementAndGet();
				worker.restart();
			}
		}), 500, 500, TimeUnit.MILLISECONDS);
		try {
			long begin = System.nanoTime();
			Api api = new Api(stack, TENANT);
			api.submitFiles(batch, images);
			JsonNode done = api.awaitDone(batch, Duration.ofMinutes(6));
			Faults.log("batch done " + Faults.since(begin) + " after submit; " + respawns.get() + " workers restarted");
			AfterChecks.Outcome outcome = AfterChecks.verify(stack, api.tenant(), done);
			assertThat(outcome.succeeded()).as("the rest of the batch succeeds").isEqualTo(IMAGES - 1);
			JsonNode failed = outcome.items().get(bad);
			assertThat(failed.get("status").asString()).isEqualTo("TASK_FAILED");
			assertThat(failed.get("error_code").asString()).isEqualTo("PROCESSING_FAILED");
			long halts = pool.stream()
				.mapToLong(worker -> worker.logText().lines().filter(line -> line.contains(HALTING)).count())
				.sum();
			assertThat(halts).as("deliveries that crashed a worker: all but the last").isEqualTo(Stack.DELIVERY_LIMIT - 1);
			assertThat(respawns.get()).as("workers the supervisor started again").isGreaterThanOrEqualTo(1);

			String itemId = ItemIds.of(new BatchKey(api.tenant(), batch), bad);
			List<ConsumerRecord<String, byte[]>> dead = DeadLetters.await(stack, api.tenant() + "/" + batch + "/",
					Duration.ofMinutes(2));
			assertThat(dead).as("dead-lettered jobs of the batch").singleElement()
				.satisfies(record -> assertThat(record.key()).isEqualTo(itemId));
			assertThat(Topics.JOBS.valueSerde().deserializer().deserialize(Topics.JOBS_DLT, dead.get(0).value()).index())
				.isEqualTo(bad);
			assertThat(DeadLetters.header(dead.get(0), "kafka_dlt-original-topic")).isEqualTo(Topics.JOBS.name());
			assertThat(DeadLetters.header(dead.get(0), "kafka_dlt-exception-message")).as("the reason")
				.contains("delivery limit");

			// the pool goes on: a further batch is processed by the same workers (the after-checks
			// above are the tenant's, so this batch is judged by its status alone)
			String after = "halt-after-" + System.currentTimeMillis();
			api.submitFiles(after, TestImages.series(after, 3));
			JsonNode next = api.awaitDone(after, Duration.ofMinutes(3));
			assertThat(next.get("success_count").asInt()).as(next.toString()).isEqualTo(3);
			assertThat(pool).allMatch(Child::isAlive);
		}
		finally {
			supervisor.shutdownNow();
			supervisor.awaitTermination(10, TimeUnit.SECONDS);
		}
	}

}
