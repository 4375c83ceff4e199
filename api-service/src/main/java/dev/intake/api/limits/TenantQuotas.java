package dev.intake.api.limits;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.ApiError;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

/**
 * Per-tenant budgets (Bucket4j token buckets, one set per tenant, kept in memory of this instance):
 * requests, images and bytes per minute, and submissions in flight. A charge that does not fit is
 * refused whole with 429 and a {@code Retry-After} saying when it would fit. Buckets exist only for
 * tenants that authenticated, so their number is bounded by the configured credentials.
 */
public final class TenantQuotas {

	private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(1);

	private final LimitProperties limits;

	private final Map<String, Budgets> tenants = new ConcurrentHashMap<>();

	TenantQuotas(LimitProperties limits) {
		this.limits = limits;
	}

	/** Charges one request; the 429 to answer with when the tenant's request rate is used up. */
	ApiProblem chargeRequest(String tenant) {
		return charge(budgets(tenant).requests, 1, "requests", limits.requestsPerMinute() + " requests per minute");
	}

	/**
	 * Charges body bytes (at most a full minute's worth at once, so any single request can pass).
	 * Counted in KiB: a token bucket refills at most one token per nanosecond, which in bytes
	 * would cap the setting at 60 GB per minute.
	 */
	ApiProblem chargeBytes(String tenant, long bytes) {
		if (bytes <= 0) {
			return null;
		}
		long capacity = kibibytes(limits.bytesPerMinute().toBytes());
		return charge(budgets(tenant).bytes, Math.min(kibibytes(bytes), capacity), "bytes",
				shown(limits.bytesPerMinute()) + " per minute");
	}

	/** A size as a message shows it: in the largest unit of which it is at least one, to a tenth. */
	static String shown(DataSize size) {
		long bytes = size.toBytes();
		String[] units = { "GB", "MB", "KB" };
		for (int i = 0; i < units.length; i++) {
			long unit = 1L << (10 * (units.length - i));
			if (bytes >= unit) {
				double amount = Math.round(bytes * 10.0 / unit) / 10.0;
				return ((amount == Math.rint(amount)) ? Long.toString((long) amount) : Double.toString(amount)) + " "
						+ units[i];
			}
		}
		return bytes + " bytes";
	}

	static long kibibytes(long bytes) {
		return (bytes + 1023) / 1024;
	}

	/**
	 * The bytes to charge for {@code bytes} more of a body of which {@code read[0]} were read and
	 * charged before (then counted in {@code read}): the whole KiB they begin, so a body sent in
	 * small pieces costs its size, not a KiB a piece. Zero when they end within a KiB charged.
	 */
	static long newKibibytes(long[] read, long bytes) {
		long before = kibibytes(read[0]);
		read[0] += bytes;
		return (kibibytes(read[0]) - before) * 1024;
	}

	/**
	 * Charges the items of a batch about to be queued: completes when they fit the tenant's
	 * images per minute, else fails with a 429 {@link ApiProblem}.
	 */
	public Mono<Void> chargeImages(String tenant, int count) {
		return Mono.defer(() -> {
			long fitting = Math.min(count, limits.imagesPerMinute());
			ApiProblem refused = charge(budgets(tenant).images, fitting, "images",
					limits.imagesPerMinute() + " images per minute");
			return (refused != null) ? Mono.error(refused) : Mono.empty();
		});
	}

	/** Takes a submission slot; the 429 when the tenant already has the most in flight. */
	ApiProblem startSubmission(String tenant) {
		return takeOne(budgets(tenant).inFlight, limits.batchesInFlight(), () -> tooMany("Too many submissions in "
				+ "progress: at most " + limits.batchesInFlight() + " batches per tenant are received at a time.",
				Duration.ofSeconds(1)));
	}

	void endSubmission(String tenant) {
		budgets(tenant).inFlight.decrementAndGet();
	}

	/** Takes one of the tenant's live progress streams; the 429 when it has the most open already. */
	public ApiProblem openEventStream(String tenant) {
		return takeOne(budgets(tenant).eventStreams, limits.eventStreams(), () -> tooMany("Too many live progress "
				+ "streams open: at most " + limits.eventStreams() + " per tenant at a time. Close one, or poll the "
				+ "batch's status instead.", Duration.ofSeconds(5)));
	}

	/** Gives back a stream {@link #openEventStream} took. */
	public void closeEventStream(String tenant) {
		budgets(tenant).eventStreams.decrementAndGet();
	}

	/** Counts one more in {@code count} if it stays within {@code limit}; else {@code refusal}'s answer. */
	private static ApiProblem takeOne(AtomicInteger count, int limit, Supplier<ApiProblem> refusal) {
		if (count.incrementAndGet() > limit) {
			count.decrementAndGet();
			return refusal.get();
		}
		return null;
	}

	private ApiProblem charge(Bucket bucket, long amount, String what, String limit) {
		ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(Math.max(1, amount));
		if (probe.isConsumed()) {
			return null;
		}
		Duration wait = Duration.ofNanos(probe.getNanosToWaitForRefill());
		return tooMany("Too many " + what + ": the limit is " + limit + " per tenant.", wait);
	}

	private static ApiProblem tooMany(String message, Duration wait) {
		Duration capped = (wait.compareTo(MAX_RETRY_AFTER) > 0 || wait.isNegative()) ? MAX_RETRY_AFTER : wait;
		long seconds = Math.max(1, (capped.toMillis() + 999) / 1000);
		return new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, ApiError.RATE_LIMITED, message)
			.withHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
	}

	private Budgets budgets(String tenant) {
		return tenants.computeIfAbsent(tenant, id -> new Budgets(limits));
	}

	/** One tenant's buckets and in-flight count. */
	private static final class Budgets {

		final Bucket requests;

		final Bucket images;

		final Bucket bytes;

		final AtomicInteger inFlight = new AtomicInteger();

		final AtomicInteger eventStreams = new AtomicInteger();

		Budgets(LimitProperties limits) {
			this.requests = perMinute(limits.requestsPerMinute());
			this.images = perMinute(limits.imagesPerMinute());
			this.bytes = perMinute(kibibytes(limits.bytesPerMinute().toBytes()));
		}

		private static Bucket perMinute(long amount) {
			return Bucket.builder()
				.addLimit(limit -> limit.capacity(amount).refillGreedy(amount, Duration.ofMinutes(1)))
				.build();
		}

	}

}
