package dev.intake.worker.webhooks;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;

/** The waits between attempts, and which attempt a retry topic carries. */
class DeliveryScheduleTest {

	private final DeliverySchedule schedule = new DeliverySchedule(List.of(Duration.ofSeconds(10), Duration.ofMinutes(1)),
			0.2);

	@Test
	void theRetryTopicsWaitTheScheduleAsConfiguredThenStop() {
		BackOffExecution waits = schedule.start();
		assertThat(waits.nextBackOff()).isEqualTo(10_000L);
		assertThat(waits.nextBackOff()).isEqualTo(60_000L);
		assertThat(waits.nextBackOff()).isEqualTo(BackOffExecution.STOP);
	}

	@Test
	void eachFailedDeliveryWaitsItsStepPlusItsOwnJitter() {
		for (int i = 0; i < 100; i++) {
			assertThat(schedule.jitteredWait(1)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(12));
			assertThat(schedule.jitteredWait(2)).isBetween(Duration.ofMinutes(1), Duration.ofSeconds(72));
		}
		DeliverySchedule exact = new DeliverySchedule(List.of(Duration.ofSeconds(10)), 0);
		assertThat(exact.jitteredWait(1)).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void numbersAttemptsByTopic() {
		assertThat(WebhookDeliveries.attemptOf("intake.webhook-deliveries")).isEqualTo(1);
		assertThat(WebhookDeliveries.attemptOf("intake.webhook-deliveries-retry-0")).isEqualTo(2);
		assertThat(WebhookDeliveries.attemptOf("intake.webhook-deliveries-retry-7")).isEqualTo(9);
	}

	@Test
	void aRepeatedFanOutKeepsTheDeliveryId() {
		assertThat(EventFanOut.deliveryId("event-1", "wh_a")).isEqualTo(EventFanOut.deliveryId("event-1", "wh_a"))
			.startsWith("msg_")
			.hasSize(28)
			.isNotEqualTo(EventFanOut.deliveryId("event-1", "wh_b"));
	}

}
