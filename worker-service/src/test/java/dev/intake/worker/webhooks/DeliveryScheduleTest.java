package dev.intake.worker.webhooks;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;

/** The waits between attempts, and which attempt a retry topic carries. */
class DeliveryScheduleTest {

	@Test
	void waitsTheScheduleWithJitterThenStops() {
		BackOffExecution waits = new DeliverySchedule(List.of(Duration.ofSeconds(10), Duration.ofMinutes(1)), 0.2)
			.start();
		assertThat(waits.nextBackOff()).isBetween(10_000L, 12_000L);
		assertThat(waits.nextBackOff()).isBetween(60_000L, 72_000L);
		assertThat(waits.nextBackOff()).isEqualTo(BackOffExecution.STOP);
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
