package dev.intake.worker.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Future;

import dev.intake.contracts.Topics;
import dev.intake.contracts.Webhook;
import dev.intake.contracts.WebhookDelivery;
import dev.intake.platform.webhooks.WebhookRegistry;
import dev.intake.platform.webhooks.WebhookWrites;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import org.springframework.kafka.annotation.KafkaListener;

/**
 * Turns each event of {@code intake.events} into one {@link WebhookDelivery} per enabled
 * subscription of its tenant that wants its type, on {@code intake.webhook-deliveries}. The
 * subscriptions are read after catching up with every change written before the event is
 * handled, so a subscription created before an event was published gets it. A poll's events are
 * handled together and committed once all their deliveries are written. At-least-once; the
 * delivery id is derived from the event id and the subscription, so a repeated fan-out delivers
 * under the same {@code webhook-id} and a receiver drops it. A batch's callback (a one-shot
 * subscription to its {@code batch.completed}) is delivered with its own URL and secret and then
 * deleted.
 */
class EventFanOut {

	private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(10);

	/** Allowed difference between the clocks of the event's producer and this instance. */
	private static final Duration CLOCK_MARGIN = Duration.ofSeconds(5);

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
	void onEvents(List<ConsumerRecord<String, byte[]>> records) throws Exception {
		long oldest = records.stream().mapToLong(ConsumerRecord::timestamp).min().orElse(Long.MAX_VALUE);
		// a catch-up that began after the events were written covers them: a backlog needs one, not one per event
		boolean covered = registry.lastSyncStarted() > oldest + CLOCK_MARGIN.toMillis();
		if (!covered && !registry.sync(SYNC_TIMEOUT)) {
			throw new IllegalStateException("the webhook subscriptions are not readable now");
		}
		List<Future<RecordMetadata>> sent = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			StructuredEvent.Event event = StructuredEvent.of(record.headers(), record.value());
			if (event == null) {
				continue;
			}
			for (Webhook hook : registry.matching(event.tenant(), event.type(), event.subject())) {
				if (hook.isCallback()) {
					// one notification: delivered with the callback's own URL and secret, then forgotten
					sent.add(writes.send(Topics.WEBHOOK_DELIVERIES, hook.key(), new WebhookDelivery(event.tenant(),
							deliveryId(event.id(), hook.id()), null, hook.url(), event.type(), event.json(),
							hook.secret(), clock.instant())));
					sent.add(writes.send(Topics.WEBHOOKS, hook.key(), null));
					continue;
				}
				if (hook.createdAt() != null && record.timestamp() < hook.createdAt().toEpochMilli()) {
					// a subscription gets the events published after it was created, not the topic's history
					continue;
				}
				sent.add(writes.send(Topics.WEBHOOK_DELIVERIES, hook.key(), new WebhookDelivery(event.tenant(),
						deliveryId(event.id(), hook.id()), hook.id(), hook.url(), event.type(), event.json(), null,
						clock.instant())));
			}
		}
		// the events' offsets are committed after this returns: only once every delivery is written
		writes.await(sent);
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
