package dev.intake.status.catalogue;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the asset look-up ({@code intake.catalogue.*}).
 *
 * @param readYourWritesTimeout how long a look-up waits for the catalogue to catch up with what
 * was committed before it (a miss, or an upload it names not applied yet) before answering 503
 * @param readYourWritesPollInterval how often such a look-up checks the store and the offsets again
 * @param forwardTimeout how long a look-up forwarded to the owning instance may take; above
 * {@code read-your-writes-timeout}, since that instance may wait that long
 */
@Validated
@ConfigurationProperties("intake.catalogue")
record CatalogueProperties(@DefaultValue("5s") Duration readYourWritesTimeout,
		@DefaultValue("10ms") Duration readYourWritesPollInterval, @DefaultValue("10s") Duration forwardTimeout) {

	CatalogueProperties {
		requirePositive(readYourWritesTimeout, "read-your-writes-timeout");
		requirePositive(readYourWritesPollInterval, "read-your-writes-poll-interval");
		requirePositive(forwardTimeout, "forward-timeout");
	}

	private static void requirePositive(Duration duration, String name) {
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("intake.catalogue." + name + " must be positive");
		}
	}

}
