package dev.intake.api.status;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where batch status look-ups are routed ({@code intake.status-service.*}).
 *
 * @param baseUrl the status-service; it routes on to the instance that owns the batch
 * @param timeout longest wait for its answer before answering 503
 * @param maxResponseSize largest answer of the status-service read (a batch status, an asset, a
 * batch's nursery links, its retryable items)
 * @param eventsIdleTimeout how long a relayed live-progress stream may stay silent (the
 * status-service sends a heartbeat every 15 s by default) before it is ended, so a vanished
 * status-service does not hold client connections open; the client then reconnects
 * @param finishedAnswersSize memory for the answers of finished batches last relayed, kept with
 * the status-service's entity tag so that a look-up of an unchanged batch moves only a 304 from
 * the status-service (0: none kept)
 * @param maxEventStreams connections to the status-service that live progress streams (relayed
 * ones, and single-file uploads waiting for their result) hold at once on this instance, in a
 * pool of their own so that open streams never hold up look-ups; one more waits up to
 * {@code timeout} for one, then 503
 */
@Validated
@ConfigurationProperties("intake.status-service")
record StatusServiceProperties(@DefaultValue("http://127.0.0.1:8081") @NotNull URI baseUrl,
		@DefaultValue("10s") Duration timeout, @DefaultValue("4MB") DataSize maxResponseSize,
		@DefaultValue("45s") Duration eventsIdleTimeout, @DefaultValue("8MB") DataSize finishedAnswersSize,
		@DefaultValue("256") @Min(1) int maxEventStreams) {

	StatusServiceProperties {
		if (finishedAnswersSize != null && finishedAnswersSize.isNegative()) {
			throw new IllegalArgumentException("intake.status-service.finished-answers-size must not be negative");
		}
	}

}
