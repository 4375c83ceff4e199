package dev.intake.api.webhooks;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.intake.contracts.Topics;
import dev.intake.contracts.WebhookAttempt;
import dev.intake.platform.kafka.TopicView;

/**
 * The most recent delivery attempts of every subscription, from {@code intake.webhook-attempts}
 * ({@link TopicView}): at most {@code kept} per subscription, the oldest dropped first, so memory
 * is bounded by subscriptions times {@code kept}.
 */
final class AttemptLog implements AutoCloseable {

	private final Map<String, Deque<WebhookAttempt>> bySubscription = new ConcurrentHashMap<>();

	private final TopicView<WebhookAttempt> view;

	AttemptLog(Map<String, Object> consumerConfig, int kept) {
		this.view = new TopicView<>(Topics.WEBHOOK_ATTEMPTS, consumerConfig, record -> {
			if (record.key() == null || record.value() == null || record.value().delivery() == null) {
				return;
			}
			Deque<WebhookAttempt> attempts = bySubscription.computeIfAbsent(record.key(), key -> new ArrayDeque<>());
			synchronized (attempts) {
				attempts.addFirst(record.value());
				while (attempts.size() > kept) {
					attempts.removeLast();
				}
			}
		});
	}

	/** Waits (at most {@code timeout}) until every attempt recorded before the call is here. */
	boolean sync(Duration timeout) {
		return view.awaitSync(timeout);
	}

	/** The subscription's recent attempts, most recent first. */
	List<WebhookAttempt> recent(String subscriptionKey) {
		Deque<WebhookAttempt> attempts = bySubscription.get(subscriptionKey);
		if (attempts == null) {
			return List.of();
		}
		synchronized (attempts) {
			return List.copyOf(attempts);
		}
	}

	/** The latest attempt of one delivery of the subscription. */
	Optional<WebhookAttempt> latest(String subscriptionKey, String deliveryId) {
		return recent(subscriptionKey).stream()
			.filter(attempt -> attempt.delivery().deliveryId().equals(deliveryId))
			.findFirst();
	}

	/** Forgets a deleted subscription's attempts. */
	void forget(String subscriptionKey) {
		bySubscription.remove(subscriptionKey);
	}

	@Override
	public void close() {
		view.close();
	}

}
