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
 * @param earlierSecrets secrets of rotations before that one, newest first, each still signing
 * until its own end of grace (at most {@value #MAX_EARLIER_SECRETS}); empty when none
 * @param disabledReason why the dispatcher disabled it (e.g. the endpoint answered 410); null otherwise
 * @param batchId set for a batch's {@code callback_url}: a one-shot subscription to that batch's
 * {@code batch.completed}, deleted by the dispatcher once its delivery is queued and never listed
 * by the subscriptions API; null for a subscription
 */
public record Webhook(String tenant, String id, String url, List<String> events, String description,
		boolean enabled, String secret, String previousSecret, Instant previousSecretUntil, Instant createdAt,
		Instant updatedAt, String disabledReason, String batchId, List<EarlierSecret> earlierSecrets) {

	/** The event list value that matches every type. */
	public static final String EVERY_TYPE = "*";

	/** Most secrets of earlier rotations kept signing, besides the current and the previous one. */
	public static final int MAX_EARLIER_SECRETS = 3;

	/** A secret of a rotation before the last one, signing until {@code until}. */
	public record EarlierSecret(String secret, Instant until) {
	}

	public Webhook {
		events = (events != null) ? List.copyOf(events) : List.of();
		earlierSecrets = (earlierSecrets != null) ? List.copyOf(earlierSecrets) : List.of();
	}

	/** A subscription without secrets of earlier rotations. */
	public Webhook(String tenant, String id, String url, List<String> events, String description, boolean enabled,
			String secret, String previousSecret, Instant previousSecretUntil, Instant createdAt, Instant updatedAt,
			String disabledReason, String batchId) {
		this(tenant, id, url, events, description, enabled, secret, previousSecret, previousSecretUntil, createdAt,
				updatedAt, disabledReason, batchId, List.of());
	}

	/**
	 * This subscription with {@code secret} as its new secret at {@code now}: the current one becomes
	 * the previous, signing until {@code until}, and the previous one, while its grace lasts, joins
	 * the earlier secrets (the newest {@value #MAX_EARLIER_SECRETS} of them that still sign), so a
	 * rotation made again within the grace period (a retried request) leaves every secret a receiver
	 * may hold signing until its own grace ends.
	 */
	public Webhook rotated(String secret, Instant now, Instant until) {
		List<EarlierSecret> earlier = new java.util.ArrayList<>();
		if (previousSecret != null && previousSecretUntil != null && now.isBefore(previousSecretUntil)) {
			earlier.add(new EarlierSecret(previousSecret, previousSecretUntil));
		}
		earlierSecrets.stream().filter(kept -> now.isBefore(kept.until())).forEach(earlier::add);
		return new Webhook(tenant, id, url, events, description, enabled, secret, this.secret, until, createdAt, now,
				disabledReason, batchId, earlier.subList(0, Math.min(earlier.size(), MAX_EARLIER_SECRETS)));
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

	/**
	 * The secrets that sign a delivery made at {@code now}: the current one, and those of earlier
	 * rotations still in their grace period, newest first.
	 */
	public List<String> signingSecrets(Instant now) {
		List<String> secrets = new java.util.ArrayList<>(List.of(secret));
		if (previousSecret != null && previousSecretUntil != null && now.isBefore(previousSecretUntil)) {
			secrets.add(previousSecret);
		}
		earlierSecrets.stream().filter(kept -> now.isBefore(kept.until())).forEach(kept -> secrets.add(kept.secret()));
		return List.copyOf(secrets);
	}

}
