package dev.intake.status.links;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the nursery batch look-up ({@code intake.nursery-links.*}).
 *
 * @param readYourWritesTimeout how long a look-up waits for the store to process every link
 * written to the batch's partition before it, before answering 503
 * @param readYourWritesPollInterval how often such a look-up checks the offsets again
 * @param forwardTimeout how long a look-up forwarded to the keeping instance may take; above
 * {@code read-your-writes-timeout}, since that instance may wait that long
 */
@ConfigurationProperties("intake.nursery-links")
record LinkProperties(@DefaultValue("5s") Duration readYourWritesTimeout,
		@DefaultValue("10ms") Duration readYourWritesPollInterval, @DefaultValue("10s") Duration forwardTimeout) {

	LinkProperties {
		requirePositive(readYourWritesTimeout, "read-your-writes-timeout");
		requirePositive(readYourWritesPollInterval, "read-your-writes-poll-interval");
		requirePositive(forwardTimeout, "forward-timeout");
	}

	private static void requirePositive(Duration duration, String name) {
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("intake.nursery-links." + name + " must be positive");
		}
	}

}
