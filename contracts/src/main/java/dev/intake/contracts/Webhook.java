package dev.intake.contracts;

import java.time.Instant;
import java.util.List;

/**
 * One tenant's webhook subscription, the value of {@link Topics#WEBHOOKS} keyed by
 * {@link #key(String, String)}; a compacted topic, so the latest value per subscription is its
 * state and a tombstone deletes it. Written by the api-service (the subscriptions API) and by the
 * dispatcher (an endpoint that answers 410 disables its subscription).
 *
 * @param events CloudEvent types delivered ({@link EventType#type()}), or {@code *} for every type
 * @param secret the signing secret ({@code whsec_} and base64 of the key bytes)
 * @param previousSecret the secret before the last rotation, still signing until
 * {@code previousSecretUntil}; null when none
 * @param disabledReason why the dispatcher disabled it (e.g. the endpoint answered 410); null otherwise
 * @param batchId set for a batch's {@code callback_url}: a one-shot subscription to that batch's
 * {@code batch.completed}, deleted by the dispatcher once its delivery is queued and never listed
 * by the subscriptions API; null for a subscription
 */
public record Webhook(String tenant, String id, String url, List<String> events, String description,
		boolean enabled, String secret, String previousSecret, Instant previousSecretUntil, Instant createdAt,
		Instant updatedAt, String disabledReason, String batchId) {

	/** The event list value that matches every type. */
	public static final String EVERY_TYPE = "*";

	public Webhook {
		events = (events != null) ? List.copyOf(events) : List.of();
	}

	/** The Kafka key and view key of a subscription: {@code tenant/id}. */
	public static String key(String tenant, String id) {
		return tenant + "/" + id;
	}

	public String key() {
		return key(tenant, id);
	}

	/** The id of the callback subscription of a batch. */
	public static String callbackId(String batchId) {
		return "cb_" + batchId;
	}

	/** Whether this is a batch's callback rather than a subscription the tenant manages. */
	public boolean isCallback() {
		return batchId != null;
	}

	/** Whether an event of {@code type} about {@code subject} goes here (when enabled). */
	public boolean wants(String type, String subject) {
		if (isCallback()) {
			return EventType.BATCH_COMPLETED.type().equals(type) && batchId.equals(subject);
		}
		return events.contains(EVERY_TYPE) || events.contains(type);
	}

	/** The secrets that sign a delivery made at {@code now}: the current one, and the previous one in its grace period. */
	public List<String> signingSecrets(Instant now) {
		if (previousSecret != null && previousSecretUntil != null && now.isBefore(previousSecretUntil)) {
			return List.of(secret, previousSecret);
		}
		return List.of(secret);
	}

}
