package dev.intake.api.limits;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Per-tenant limits against abuse and the server's read timeout ({@code intake.limits.*}). Rates
 * are token buckets refilled evenly over a minute, so a tenant may burst up to a minute's worth.
 *
 * @param requestsPerMinute authenticated requests of any kind
 * @param imagesPerMinute items in accepted batches, charged when a batch is about to be queued
 * @param bytesPerMinute request body bytes of submissions, charged from {@code Content-Length}
 * before reading (or as a chunked body streams in)
 * @param batchesInFlight submissions of one tenant being received and staged at the same time
 * (a single-file upload that is queued and waits for its stored file holds one of the tenant's
 * {@code event-streams} instead, while one is free)
 * @param readTimeout longest silence while a request body is being read; the connection is then
 * closed (the wait for request headers is {@code server.netty.idle-timeout}). Keep it above
 * {@code intake.upload.upload-wait-timeout}: a body is not read while its submission waits for a
 * staging slot
 * @param bodyDeadline longest time a request body may take from the start of the request to its
 * last byte; then 408 and the connection is closed
 * @param minBodyRate least bytes per second a request body must arrive at, counted over the time the
 * server was waiting for it (pauses the server causes itself do not count), once that time passes
 * {@code minBodyRateGrace}; slower: 408 and the connection is closed
 * @param minBodyRateGrace time the server waits for a body before {@code minBodyRate} applies
 * @param eventStreams live progress streams (a batch status's {@code …/events}, and single-file
 * uploads waiting for their stored file) one tenant may have open on one api instance at the same
 * time; one more stream is answered 429
 */
@ConfigurationProperties("intake.limits")
public record LimitProperties(@DefaultValue("1200") int requestsPerMinute, @DefaultValue("3000") int imagesPerMinute,
		@DefaultValue("5GB") DataSize bytesPerMinute, @DefaultValue("8") int batchesInFlight,
		@DefaultValue("60s") Duration readTimeout, @DefaultValue("15m") Duration bodyDeadline,
		@DefaultValue("1KB") DataSize minBodyRate, @DefaultValue("30s") Duration minBodyRateGrace,
		@DefaultValue("20") int eventStreams) {

	public LimitProperties {
		require(requestsPerMinute > 0, "requests-per-minute");
		require(imagesPerMinute > 0, "images-per-minute");
		require(bytesPerMinute.toBytes() > 0, "bytes-per-minute");
		require(batchesInFlight > 0, "batches-in-flight");
		require(eventStreams > 0, "event-streams");
		require(!readTimeout.isNegative() && !readTimeout.isZero(), "read-timeout");
		require(!bodyDeadline.isNegative() && !bodyDeadline.isZero(), "body-deadline");
		if (minBodyRate.toBytes() < 0 || minBodyRateGrace.isNegative()) {
			throw new IllegalArgumentException("intake.limits.min-body-rate(-grace) must not be negative");
		}
	}

	private static void require(boolean valid, String name) {
		if (!valid) {
			throw new IllegalArgumentException("intake.limits." + name + " must be positive");
		}
	}

}
