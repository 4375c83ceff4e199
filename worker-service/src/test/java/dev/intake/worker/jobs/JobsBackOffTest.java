package dev.intake.worker.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.RepeatedTest;

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
	void aReleasedJobWaitsTheBackOffOfItsDeliveryCount() {
		var retry = new JobsProperties.Retry(8, Duration.ofMillis(100), 2, Duration.ofMillis(1000), Duration.ofMillis(20));

		assertThat(ImageJobListener.backOff(retry, 1)).isBetween(80L, 120L);
		assertThat(ImageJobListener.backOff(retry, 2)).isBetween(160L, 240L);
		assertThat(ImageJobListener.backOff(retry, 3)).isBetween(320L, 480L);
		assertThat(ImageJobListener.backOff(retry, 8)).isBetween(100L, 1000L);
	}

}
