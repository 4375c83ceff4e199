package dev.intake.worker.metrics;

import java.time.Duration;
import java.util.Locale;

import dev.intake.contracts.ItemResult;
import dev.intake.platform.observe.TenantTags;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Every metric the worker-service defines itself, with its name and tags (Kafka client, JVM and
 * HTTP metrics come from Spring Boot). Tenants are tagged through {@link TenantTags}, so a series
 * count stays bounded however many tenants there are.
 */
public final class WorkerMetrics {

	/** Counter of items stored (results published), tag {@code tenant}. */
	public static final String STORED = "intake.items.stored";

	/** Counter of items failed (results published), tags {@code tenant} and {@code code} (an {@code ItemError}). */
	public static final String FAILED = "intake.items.failed";

	/**
	 * Timer (histogram) from a job's publication by the api-service (its record's timestamp, taken
	 * when the batch was accepted) to its item's stored result; no tags.
	 */
	public static final String SUBMIT_TO_STORED = "intake.submit.to.stored";

	/** Counter of URL fetches, tag {@code outcome}: {@code ok}, {@code refused}, {@code failed}, {@code transient}. */
	public static final String FETCHES = "intake.fetch.requests";

	/** Timer of decoding an image and encoding all its renditions. */
	public static final String RENDITIONS = "intake.renditions.duration";

	/**
	 * Counter of webhook deliveries, tags {@code tenant} and {@code outcome}: {@code delivered},
	 * {@code retried} (an attempt failed, another is due), {@code failed} (for good: the last
	 * attempt, or 410 Gone) or {@code dropped} (the subscription is deleted or disabled). A
	 * delivery is counted once per attempt, so one delivered after two failures counts
	 * {@code retried} twice and {@code delivered} once.
	 */
	public static final String WEBHOOK_DELIVERIES = "intake.webhook.deliveries";

	/**
	 * Timer (histogram) of one webhook delivery attempt made (its endpoint checked, the request
	 * signed and sent, up to the answer or the timeout); attempts the endpoint guards refuse are
	 * not timed. No tags.
	 */
	public static final String WEBHOOK_DELIVERY_DURATION = "intake.webhook.delivery.duration";

	/** The outcomes of {@link #WEBHOOK_DELIVERIES}. */
	public enum DeliveryOutcome {

		DELIVERED, RETRIED, FAILED, DROPPED;

		String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private final MeterRegistry registry;

	private final TenantTags tenants;

	private final Timer submitToStored;

	private final Timer renditions;

	private final Timer webhookDelivery;

	public WorkerMetrics(MeterRegistry registry, TenantTags tenants) {
		this.registry = registry;
		this.tenants = tenants;
		this.submitToStored = Timer.builder(SUBMIT_TO_STORED)
			.description("From a job's publication (its batch accepted) to its item stored")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(10))
			.maximumExpectedValue(Duration.ofHours(2))
			.register(registry);
		this.renditions = Timer.builder(RENDITIONS)
			.description("Decoding an image and encoding all its renditions")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofMinutes(2))
			.register(registry);
		this.webhookDelivery = Timer.builder(WEBHOOK_DELIVERY_DURATION)
			.description("One webhook delivery attempt, up to its answer or timeout")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofMinutes(1))
			.register(registry);
	}

	/** Counts a result once the broker has it. */
	public void published(ItemResult result) {
		String tenant = tenants.of(result.tenant());
		if (result instanceof ItemResult.ImageFailed failed) {
			Counter.builder(FAILED)
				.description("Items failed, by error code")
				.tag("tenant", tenant)
				.tag("code", (failed.code() != null) ? failed.code() : "UNKNOWN")
				.register(registry)
				.increment();
		}
		else {
			Counter.builder(STORED).description("Items stored").tag("tenant", tenant).register(registry).increment();
		}
	}

	/** Records the time from a job's publication ({@code submittedAtMillis}, epoch) to its stored result. */
	public void stored(long submittedAtMillis, long nowMillis) {
		if (submittedAtMillis > 0) {
			submitToStored.record(Duration.ofMillis(Math.max(0, nowMillis - submittedAtMillis)));
		}
	}

	/** Counts a URL fetch by outcome. */
	public void fetched(String outcome) {
		Counter.builder(FETCHES).description("URL fetches by outcome").tag("outcome", outcome).register(registry)
			.increment();
	}

	/** Records the time one image's renditions took. */
	public void renditions(long nanos) {
		renditions.record(Duration.ofNanos(nanos));
	}

	/** Counts a webhook delivery attempt (or a dropped delivery) of {@code tenant} by its outcome. */
	public void webhookDelivery(String tenant, DeliveryOutcome outcome) {
		Counter.builder(WEBHOOK_DELIVERIES)
			.description("Webhook delivery attempts by outcome")
			.tag("tenant", tenants.of(tenant))
			.tag("outcome", outcome.tag())
			.register(registry)
			.increment();
	}

	/** Records the time one webhook delivery attempt took. */
	public void webhookDeliveryTook(long nanos) {
		webhookDelivery.record(Duration.ofNanos(nanos));
	}

}
