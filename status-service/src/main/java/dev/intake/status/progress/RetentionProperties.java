package dev.intake.status.progress;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long batch state is kept ({@code intake.status.*}).
 *
 * @param retention how long after its submission a batch can be looked up; after it, status
 * answers 1203 and the batch is deleted from the store (the bach.art batch-upload API's URLs are valid 30 days)
 * @param retentionScanInterval how often each stream task scans its store for expired batches
 * (wall-clock time); a batch is hidden from look-ups at expiry whatever this is
 * @param retentionMaxDeletesPerScan most batches one scan of one task deletes, to bound the
 * pause it makes in processing; the rest go at the next scan
 */
@Validated
@ConfigurationProperties("intake.status")
public record RetentionProperties(@DefaultValue("30d") Duration retention,
		@DefaultValue("10m") Duration retentionScanInterval,
		@DefaultValue("10000") @Min(1) int retentionMaxDeletesPerScan) {

	public RetentionProperties {
		if (retention.isNegative() || retention.isZero() || retentionScanInterval.isNegative()
				|| retentionScanInterval.isZero()) {
			throw new IllegalArgumentException(
					"intake.status.retention and intake.status.retention-scan-interval must be positive");
		}
	}

}
