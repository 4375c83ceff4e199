package dev.intake.status.queue;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where batches wait ({@code intake.status.queue.*}): how the status-service follows the job
 * queue for the {@code queued_ahead} and {@code estimated_completion} of status answers and the
 * consumer lag metrics.
 *
 * @param workerGroup the share group of the workers on {@code intake.jobs} (read as a consumer
 * group where the broker knows it as one)
 * @param lagGroups further consumer groups whose lag is reported ({@code intake.consumer.lag});
 * the status-service's own Kafka Streams application is always included
 * @param refreshInterval how often committed and end offsets are read
 * @param rateWindow the recent past the processing rate is measured over
 * @param timeout how long one read of offsets may take; a status answer waits at most this
 * long for its queue position, else it comes without one
 * @param cachedBatches batches whose start offsets on {@code intake.jobs} are kept
 */
@Validated
@ConfigurationProperties("intake.status.queue")
public record QueueProperties(@DefaultValue("intake-workers") String workerGroup,
		@DefaultValue List<String> lagGroups, @DefaultValue("5s") Duration refreshInterval,
		@DefaultValue("60s") Duration rateWindow, @DefaultValue("1s") Duration timeout,
		@DefaultValue("1024") @Min(1) int cachedBatches) {

	public QueueProperties {
		lagGroups = (lagGroups != null) ? List.copyOf(lagGroups) : List.of();
		if (refreshInterval.isNegative() || refreshInterval.isZero() || rateWindow.compareTo(refreshInterval) < 0) {
			throw new IllegalArgumentException(
					"intake.status.queue.refresh-interval must be positive and rate-window at least as long");
		}
	}

}
