package dev.intake.worker.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;

class JobsBackOffTest {

	@RepeatedTest(20)
	void stopsAfterExactlyMaxRetriesJitteredWaitsWithinTheirBounds() {
		var retry = new JobsProperties.Retry(3, Duration.ofMillis(100), 2, Duration.ofMillis(300), Duration.ofMillis(50));
		BackOffExecution execution = JobsConfiguration.backOff(retry).start();

		List<Long> waits = new ArrayList<>();
		for (long wait = execution.nextBackOff(); wait != BackOffExecution.STOP; wait = execution.nextBackOff()) {
			waits.add(wait);
			assertThat(waits).as("more waits than retries").hasSizeLessThanOrEqualTo(3);
		}

		assertThat(waits).hasSize(3);
		assertThat(waits.get(0)).isBetween(100L, 150L);
		assertThat(waits.get(1)).isBetween(100L, 300L);
		assertThat(waits.get(2)).isBetween(100L, 300L);
	}

	@RepeatedTest(10)
	void eachReleaseWaitsItsOwnWaitWhenTheBrokerAllowsEnoughDeliveries() {
		var retry = new JobsProperties.Retry(3, Duration.ofMillis(100), 2, Duration.ofMillis(1000), Duration.ofMillis(20));
		var group = new JobsShareGroup("g", "c", 10);

		assertThat(ImageJobListener.releases(retry, group)).isEqualTo(3);
		assertThat(ImageJobListener.backOff(retry, 1, 3)).isBetween(80L, 120L);
		assertThat(ImageJobListener.backOff(retry, 2, 3)).isBetween(160L, 240L);
		assertThat(ImageJobListener.backOff(retry, 3, 3)).isBetween(320L, 480L);
	}

	@RepeatedTest(10)
	void fewerDeliveriesShareOutTheWholeRetryWindow() {
		var retry = new JobsProperties.Retry(4, Duration.ofMillis(100), 2, Duration.ofMillis(1000), Duration.ofMillis(20));
		// four deliveries: two releases, the third delivery fails RETRIES_EXHAUSTED, the fourth is kept
		var group = new JobsShareGroup("g", "c", 4);

		assertThat(ImageJobListener.releases(retry, group)).isEqualTo(2);
		// 100 + 200, then 400 + 800 (each ± its jitter)
		assertThat(ImageJobListener.backOff(retry, 1, 2)).isBetween(240L, 360L);
		assertThat(ImageJobListener.backOff(retry, 2, 2)).isBetween(960L, 1440L);
		assertThat(ImageJobListener.releases(new JobsProperties.Retry(0, Duration.ofMillis(100), 2,
				Duration.ofMillis(1000), Duration.ZERO), group)).isZero();
	}

	@Test
	void aStoppingWorkerReleasesTheJobsItIsStillDeliveredUnbegunButFailsALastDelivery() {
		java.util.List<Exception> failed = new java.util.ArrayList<>();
		org.springframework.kafka.listener.ConsumerAwareRecordRecoverer failures = (record, consumer, ex) -> failed.add(ex);
		var listener = new ImageJobListener(null, failures, new JobsShareGroup("g", "c", 5),
				new JobsProperties.Retry(0, Duration.ofMillis(100), 2, Duration.ofMillis(100), Duration.ZERO), null,
				io.micrometer.observation.ObservationRegistry.NOOP, java.time.Clock.systemUTC());
		listener.stopTakingJobs();

		var record = new org.apache.kafka.clients.consumer.ConsumerRecord<String, dev.intake.contracts.IngestImage>(
				"intake.jobs", 0, 7, "t/b/0", null);
		// no ingestion exists here: a job begun would fail with a NullPointerException
		assertThat(listener.handleHere(record)).isEqualTo(org.apache.kafka.clients.consumer.AcknowledgeType.RELEASE);
		assertThat(listener.interruptJobsInProgress()).isZero();
		assertThat(failed).isEmpty();

		// released on its last delivery, the broker would archive the job with no outcome
		var last = new org.apache.kafka.clients.consumer.ConsumerRecord<String, dev.intake.contracts.IngestImage>(
				"intake.jobs", 0, 8, 0L, org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0, "t/b/1", null,
				new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty(),
				java.util.Optional.of((short) 5));
		assertThat(listener.handleHere(last)).isEqualTo(org.apache.kafka.clients.consumer.AcknowledgeType.REJECT);
		assertThat(failed).singleElement().isInstanceOf(ImageJobListener.DeliveryLimitReachedException.class);
	}

}
