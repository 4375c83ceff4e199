package dev.intake.api.claims;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Batch id claims ({@code intake.batch-ids.*}).
 *
 * @param reuseAfter how long a batch id stays taken; after it (keep it at least the status
 * retention, {@code intake.status.retention}) a new batch may be submitted under the same id
 */
@ConfigurationProperties("intake.batch-ids")
public record BatchIdProperties(@DefaultValue("30d") Duration reuseAfter) {

	public BatchIdProperties {
		if (reuseAfter.isNegative() || reuseAfter.isZero()) {
			throw new IllegalArgumentException("intake.batch-ids.reuse-after must be positive");
		}
	}

}
