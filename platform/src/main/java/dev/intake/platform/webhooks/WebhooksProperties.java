package dev.intake.platform.webhooks;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Webhook subscriptions and their delivery ({@code intake.webhooks.*}), read by the api-service
 * (which URLs a subscription may name) and by the dispatcher (how deliveries are made).
 *
 * @param allowLoopback allow endpoints on 127.0.0.0/8 and ::1 (tests and single-machine runs
 * only; every other non-public address stays refused)
 * @param allowedPorts ports an endpoint URL may name
 * @param maxUrlLength longest endpoint URL accepted
 * @param maxPerTenant subscriptions a tenant may have
 * @param secretGrace how long the previous secret keeps signing after a rotation
 * @param retrySchedule the waits before each retry of a failed delivery (jitter added); after the
 * last one fails, the delivery is recorded failed. The default spans about a day
 * @param jitter up to this much is added at random to each wait of the schedule
 * @param timeout longest a delivery attempt may take, host name lookup and connection included
 * @param concurrency delivery threads of one dispatcher instance for first attempts
 * @param retryConcurrency delivery threads of one dispatcher instance per retry topic (one per
 * wait of the schedule)
 * @param maxPerEndpoint deliveries in progress at once to one endpoint URL on one instance; more
 * are retried later instead of waiting
 * @param breakerFailures consecutive failed attempts that open an endpoint's circuit breaker
 * @param breakerOpen how long an open breaker fails attempts to the endpoint without sending them
 * @param attemptsListed delivery attempts the API keeps per subscription for its deliveries list
 * @param catchUp longest the API waits for its view of the subscriptions and delivery attempts to
 * catch up with the topics before it answers (read-your-writes); past it, 503 with Retry-After
 */
@Validated
@ConfigurationProperties("intake.webhooks")
public record WebhooksProperties(@DefaultValue("false") boolean allowLoopback,
		@DefaultValue({ "80", "443" }) @NotEmpty Set<@Min(1) @Max(65535) Integer> allowedPorts,
		@DefaultValue("2048") @Min(16) int maxUrlLength, @DefaultValue("20") @Min(1) int maxPerTenant,
		@DefaultValue("24h") @NotNull Duration secretGrace,
		@DefaultValue({ "10s", "1m", "5m", "30m", "1h", "2h", "4h", "8h", "8h" }) @NotEmpty List<Duration> retrySchedule,
		@DefaultValue("20%") @NotNull String jitter, @DefaultValue("15s") @NotNull Duration timeout,
		@DefaultValue("4") @Min(1) int concurrency, @DefaultValue("1") @Min(1) int retryConcurrency,
		@DefaultValue("4") @Min(1) int maxPerEndpoint,
		@DefaultValue("5") @Min(1) int breakerFailures, @DefaultValue("30s") @NotNull Duration breakerOpen,
		@DefaultValue("100") @Min(1) int attemptsListed, @DefaultValue("10s") @NotNull Duration catchUp) {

	public WebhooksProperties {
		retrySchedule = List.copyOf(retrySchedule);
		jitterFraction(jitter);
	}

	/** Attempts a delivery gets: the first and one per step of the schedule. */
	public int maxAttempts() {
		return retrySchedule.size() + 1;
	}

	/** The jitter as a fraction of each wait, from {@code 0%} to {@code 100%}. */
	public double jitterFraction() {
		return jitterFraction(jitter);
	}

	private static double jitterFraction(String jitter) {
		String text = jitter.strip();
		if (!text.matches("\\d{1,3}%") || Integer.parseInt(text.substring(0, text.length() - 1)) > 100) {
			throw new IllegalArgumentException("intake.webhooks.jitter must be a percentage from 0% to 100%: " + jitter);
		}
		return Integer.parseInt(text.substring(0, text.length() - 1)) / 100.0;
	}

}
