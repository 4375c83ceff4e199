package dev.intake.api.publish;

import java.time.Duration;
import java.util.UUID;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How accepted batches are published to Kafka ({@code intake.publish.*}).
 *
 * @param transactionIdPrefix prefix of the transactional ids of this instance's producers; must
 * differ between running instances (blank: {@code intake-api-<random uuid>-})
 * @param timeout longest a publish may block on the broker (producer {@code max.block.ms}: metadata,
 * transaction start and commit)
 * @param transactionTimeout after this the broker aborts a transaction left open by a crashed
 * instance, unblocking {@code read_committed} consumers
 */
@ConfigurationProperties("intake.publish")
public record PublishProperties(@DefaultValue("") String transactionIdPrefix, @DefaultValue("15s") Duration timeout,
		@DefaultValue("30s") Duration transactionTimeout) {

	public PublishProperties {
		if (transactionIdPrefix == null || transactionIdPrefix.isBlank()) {
			transactionIdPrefix = "intake-api-" + UUID.randomUUID() + "-";
		}
	}

}
