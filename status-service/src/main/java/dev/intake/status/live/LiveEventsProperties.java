package dev.intake.status.live;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of live progress streams ({@code intake.status.events.*}).
 *
 * @param heartbeat how often an idle stream sends a comment line, so proxies keep it open and a
 * dead peer is noticed; also how often the owner checks it still owns the batch (a stream whose
 * batch moved to another instance ends, and the client reconnects to the new owner)
 * @param maxDuration longest life of one stream; past it the stream ends and the client
 * reconnects (it gets the current state first)
 * @param maxStreams most streams this instance serves at once; beyond it, 503 with Retry-After
 * @param idleTimeout how long a stream relayed from the owning instance may stay silent before
 * it is ended; above {@code heartbeat}
 */
@Validated
@ConfigurationProperties("intake.status.events")
public record LiveEventsProperties(@DefaultValue("15s") Duration heartbeat, @DefaultValue("1h") Duration maxDuration,
		@DefaultValue("1000") @Min(1) int maxStreams, @DefaultValue("45s") Duration idleTimeout) {

	public LiveEventsProperties {
		if (heartbeat.isNegative() || heartbeat.isZero() || maxDuration.compareTo(heartbeat) < 0) {
			throw new IllegalArgumentException(
					"intake.status.events.heartbeat must be positive and at most max-duration");
		}
		if (idleTimeout.compareTo(heartbeat) <= 0) {
			throw new IllegalArgumentException("intake.status.events.idle-timeout must be above heartbeat");
		}
	}

}
