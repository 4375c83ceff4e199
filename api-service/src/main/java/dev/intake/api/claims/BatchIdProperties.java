package dev.intake.api.claims;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Batch id claims ({@code intake.batch-ids.*}).
 *
 * @param reuseAfter how long a batch id stays taken; after it (keep it at least the status
 * retention, {@code intake.status.retention}) a new batch may be submitted under the same id
 * @param abandonedAfter how old a claim must be before a request may take it over when the
 * status-service knows no batch of that id: the submit that wrote it died before its batch was
 * queued. Keep it above the publish transaction timeout ({@code intake.publish.transaction-timeout}),
 * after which a batch that was being queued is either visible or aborted.
 */
@ConfigurationProperties("intake.batch-ids")
public record BatchIdProperties(@DefaultValue("30d") Duration reuseAfter,
		@DefaultValue("2m") Duration abandonedAfter) {

	public BatchIdProperties {
		if (reuseAfter.isNegative() || reuseAfter.isZero()) {
			throw new IllegalArgumentException("intake.batch-ids.reuse-after must be positive");
		}
		if (abandonedAfter.isNegative() || abandonedAfter.isZero()) {
			throw new IllegalArgumentException("intake.batch-ids.abandoned-after must be positive");
		}
	}

}
