package dev.intake.platform.webhooks;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.intake.contracts.Topics;
import dev.intake.contracts.Webhook;
import dev.intake.platform.kafka.TopicView;

/**
 * Every webhook subscription, materialised from the compacted {@code intake.webhooks} topic
 * ({@link TopicView}) and held in memory by tenant: the subscriptions API reads it after
 * {@link #sync()} (read-your-writes), the dispatcher matches events against it. A tombstone
 * removes a subscription.
 */
public final class WebhookRegistry implements AutoCloseable {

	private final Map<String, Map<String, Webhook>> byTenant = new ConcurrentHashMap<>();

	private final TopicView<Webhook> view;

	private volatile long lastSyncStarted;

	public WebhookRegistry(Map<String, Object> consumerConfig) {
		this.view = new TopicView<>(Topics.WEBHOOKS, consumerConfig, record -> {
			String key = record.key();
			int slash = (key != null) ? key.indexOf('/') : -1;
			if (slash < 0) {
				return;
			}
			String tenant = key.substring(0, slash);
			String id = key.substring(slash + 1);
			if (record.value() == null) {
				byTenant.computeIfPresent(tenant, (t, hooks) -> {
					hooks.remove(id);
					return hooks.isEmpty() ? null : hooks;
				});
			}
			else {
				byTenant.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>()).put(id, record.value());
			}
		});
	}

	/**
	 * Waits until every subscription change written before this call is in the registry.
	 * @return false when that took longer than {@code timeout}
	 */
	public boolean sync(Duration timeout) {
		long started = System.currentTimeMillis();
		if (!view.awaitSync(timeout)) {
			return false;
		}
		lastSyncStarted = Math.max(lastSyncStarted, started);
		return true;
	}

	/**
	 * When the last {@link #sync} that succeeded began (epoch milliseconds): every subscription
	 * change acknowledged before then is in the registry.
	 */
	public long lastSyncStarted() {
		return lastSyncStarted;
	}

	/** The tenant's subscriptions, oldest first (batch callbacks included). */
	public List<Webhook> list(String tenant) {
		return byTenant.getOrDefault(tenant, Map.of())
			.values()
			.stream()
			.sorted(Comparator.comparing(Webhook::createdAt).thenComparing(Webhook::id))
			.toList();
	}

	public Optional<Webhook> find(String tenant, String id) {
		return Optional.ofNullable(byTenant.getOrDefault(tenant, Map.of()).get(id));
	}

	/** The tenant's enabled subscriptions (and batch callbacks) that want an event of {@code type} about {@code subject}. */
	public List<Webhook> matching(String tenant, String type, String subject) {
		return list(tenant).stream().filter(hook -> hook.enabled() && hook.wants(type, subject)).toList();
	}

	@Override
	public void close() {
		view.close();
	}

}
