package dev.intake.api.image;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The public image origin ({@code intake.origin.*}). It reads S3 through a connection pool of its
 * own, so public traffic can never take the connections that uploads need.
 *
 * @param maxConnections connections to S3 the origin may hold at once; a request beyond them waits
 *        for one up to {@code acquireTimeout}, then answers 503 with {@code Retry-After}
 * @param acquireTimeout longest an origin request waits for one of those connections
 * @param contentCacheSize how many contents' locations (from the content index) the origin keeps
 *        in memory; a verdict never changes, so only what is known is cached, and a miss costs one
 *        internal look-up
 */
@Validated
@ConfigurationProperties("intake.origin")
record ImageOriginProperties(@DefaultValue("32") @Min(1) int maxConnections,
		@DefaultValue("2s") @NotNull Duration acquireTimeout, @DefaultValue("10000") @Min(1) int contentCacheSize) {
}
