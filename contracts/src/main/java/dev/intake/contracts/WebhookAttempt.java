package dev.intake.contracts;

import java.time.Instant;

/**
 * The outcome of one delivery attempt, the value of {@link Topics#WEBHOOK_ATTEMPTS} keyed by
 * {@link Webhook#key()}; the subscriptions API lists recent ones and redelivers from them.
 * Written by the dispatcher.
 *
 * @param delivery what was sent (its body is what a redelivery sends again)
 * @param status {@link #DELIVERED}, {@link #RETRYING} (another attempt at {@code nextAttemptAt}) or
 * {@link #FAILED} (no attempt left, or the endpoint answered 410)
 * @param responseCode the endpoint's HTTP status; 0 when there was none (refused, timed out, breaker open)
 * @param error why the attempt failed, when it did; safe to show the tenant
 */
public record WebhookAttempt(WebhookDelivery delivery, int attempt, String status, int responseCode,
		long durationMillis, String error, Instant attemptedAt, Instant nextAttemptAt) {

	public static final String DELIVERED = "delivered";

	public static final String RETRYING = "retrying";

	public static final String FAILED = "failed";

}
