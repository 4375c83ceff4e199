package dev.intake.status.content;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the content look-ups ({@code intake.content.*}).
 *
 * @param forwardTimeout how long a look-up forwarded to the instance that keeps the content may take
 * @param maxOwnedKeys most upload keys one question "which of these are kept" may name
 */
@Validated
@ConfigurationProperties("intake.content")
record ContentProperties(@DefaultValue("2s") Duration forwardTimeout, @DefaultValue("1000") int maxOwnedKeys) {

	ContentProperties {
		if (forwardTimeout.isNegative() || forwardTimeout.isZero()) {
			throw new IllegalArgumentException("intake.content.forward-timeout must be positive");
		}
		if (maxOwnedKeys < 1) {
			throw new IllegalArgumentException("intake.content.max-owned-keys must be at least 1");
		}
	}

}
