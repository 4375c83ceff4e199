package dev.intake.worker.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

import dev.intake.contracts.Topics;
import dev.intake.contracts.Webhook;
import dev.intake.contracts.WebhookDelivery;
import dev.intake.platform.webhooks.WebhookRegistry;
import dev.intake.platform.webhooks.WebhookWrites;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;

/**
 * Turns each event of {@code intake.events} into one {@link WebhookDelivery} per enabled
 * subscription of its tenant that wants its type, on {@code intake.webhook-deliveries}. The
 * subscriptions are read after catching up with every change written before the event is
 * handled, so a subscription created before an event was published gets it. At-least-once; the
 * delivery id is derived from the event id and the subscription, so a repeated fan-out delivers
 * under the same {@code webhook-id} and a receiver drops it.
 */
class EventFanOut {

	private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(10);

	private final WebhookRegistry registry;

	private final WebhookWrites writes;

	private final Clock clock;

	EventFanOut(WebhookRegistry registry, WebhookWrites writes, Clock clock) {
		this.registry = registry;
		this.writes = writes;
		this.clock = clock;
	}

	@KafkaListener(id = "webhook-fan-out", groupId = "intake-webhooks",
			topics = "#{T(dev.intake.contracts.Topics).EVENTS}", containerFactory = "webhookEventContainerFactory")
	void onEvent(ConsumerRecord<String, byte[]> record) throws Exception {
		StructuredEvent.Event event = StructuredEvent.of(record.headers(), record.value());
		if (event == null) {
			return;
		}
		if (!registry.sync(SYNC_TIMEOUT)) {
			throw new IllegalStateException("the webhook subscriptions are not readable now");
		}
		for (Webhook hook : registry.matching(event.tenant(), event.type())) {
			if (hook.createdAt() != null && record.timestamp() < hook.createdAt().toEpochMilli()) {
				// a subscription gets the events published after it was created, not the topic's history
				continue;
			}
			writes.write(Topics.WEBHOOK_DELIVERIES, hook.key(), new WebhookDelivery(event.tenant(),
					deliveryId(event.id(), hook.id()), hook.id(), hook.url(), event.type(), event.json(), null,
					clock.instant()));
		}
	}

	/** {@code msg_} and 24 hex digits of SHA-256 over event id and subscription id. */
	static String deliveryId(String eventId, String webhookId) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256")
				.digest((eventId + "\n" + webhookId).getBytes(StandardCharsets.UTF_8));
			return "msg_" + HexFormat.of().formatHex(hash, 0, 12);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
