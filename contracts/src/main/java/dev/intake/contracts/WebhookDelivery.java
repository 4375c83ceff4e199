package dev.intake.contracts;

import java.time.Instant;

/**
 * One event to deliver to one endpoint, the value of {@link Topics#WEBHOOK_DELIVERIES} keyed by
 * {@link Webhook#key()} (or the batch key, for a batch's callback URL). Written by the
 * dispatcher's fan-out and by the api-service (test pings, redeliveries); consumed by the
 * dispatcher, which retries it on its back-off schedule.
 *
 * @param deliveryId the {@code webhook-id} header: the same on every attempt of this delivery, so a
 * receiver drops repeats by it
 * @param webhookId the subscription; null for a batch's callback URL
 * @param url where to deliver: the subscription's URL when it was fanned out, or the callback URL
 * @param eventType the CloudEvent {@code type}
 * @param body the CloudEvent in structured JSON mode, exactly the request body
 * @param callbackSecret the signing secret of a callback delivery; null for a subscription's
 * (whose current secrets are looked up at each attempt)
 */
public record WebhookDelivery(String tenant, String deliveryId, String webhookId, String url, String eventType,
		String body, String callbackSecret, Instant createdAt) {

	/** Whether this is a batch's callback rather than a subscription's delivery. */
	public boolean isCallback() {
		return webhookId == null;
	}

}
