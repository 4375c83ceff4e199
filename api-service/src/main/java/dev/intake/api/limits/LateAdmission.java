package dev.intake.api.limits;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.intake.api.error.ApiProblem;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;

/**
 * The quotas of a request whose credential arrives in its body (the nursery image API's
 * {@code JWT_code}). {@link RateLimitFilter} cannot charge it before the body names the tenant, so
 * it attaches one of these to every request it let through unauthenticated, and the route charges
 * the tenant once it knows it, as the filter would have: one request, and for a write a submission
 * slot (until the answer is committed or the exchange ends) and its {@code Content-Length} in
 * bytes. A chunked body (no {@code Content-Length}) is counted as it is read ({@link #read}): the
 * bytes read before the tenant is known are charged with the request, every later one as it
 * arrives, as the filter meters a chunked body of a header credential.
 */
public final class LateAdmission {

	private static final String ATTRIBUTE = LateAdmission.class.getName();

	private final TenantQuotas quotas;

	private final AtomicBoolean charged = new AtomicBoolean();

	private boolean ended;

	private String submitting;

	/** The tenant whose bytes a chunked body's later reads are charged to, once charged. */
	private String metered;

	/** Bytes of a chunked body read since the tenant was known (in one cell, counted by {@link TenantQuotas#newKibibytes}). */
	private final long[] meteredBytes = new long[1];

	/** Bytes of a chunked body read before the tenant was known. */
	private long unchargedBytes;

	private LateAdmission(TenantQuotas quotas) {
		this.quotas = quotas;
	}

	/** Attaches an admission to {@code exchange}; {@link #end} gives back what it took. */
	static LateAdmission attach(ServerWebExchange exchange, TenantQuotas quotas) {
		LateAdmission admission = new LateAdmission(quotas);
		exchange.getAttributes().put(ATTRIBUTE, admission);
		return admission;
	}

	/**
	 * Charges {@code exchange} to {@code tenant}: completes when it fits, else fails with the 429
	 * {@link ApiProblem}. Does nothing for a request the filter charged already (its credential
	 * was a header), or charged here before.
	 */
	public static Mono<Void> charge(ServerWebExchange exchange, String tenant) {
		return Mono.defer(() -> {
			LateAdmission admission = exchange.getAttribute(ATTRIBUTE);
			ApiProblem refused = (admission == null) ? null : admission.chargeOnce(exchange, tenant);
			return (refused != null) ? Mono.error(refused) : Mono.empty();
		});
	}

	private ApiProblem chargeOnce(ServerWebExchange exchange, String tenant) {
		if (!charged.compareAndSet(false, true)) {
			return null;
		}
		ApiProblem refused = quotas.chargeRequest(tenant);
		HttpMethod method = exchange.getRequest().getMethod();
		if (refused != null || HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
			return refused;
		}
		if ((refused = takeSlot(tenant)) != null) {
			return refused;
		}
		// given back as the answer is committed, as the filter does, at the latest when the exchange ends
		exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(this::end));
		long length = exchange.getRequest().getHeaders().getContentLength();
		long bytes = (length >= 0) ? length : meterFrom(tenant);
		if (bytes > 0 && (refused = quotas.chargeBytes(tenant, bytes)) != null) {
			end();
		}
		return refused;
	}

	/** The bytes of a chunked body read so far; every later read is charged to {@code tenant}. */
	private synchronized long meterFrom(String tenant) {
		metered = tenant;
		long read = unchargedBytes;
		unchargedBytes = 0;
		meteredBytes[0] = read; // charged in whole KiB: the rest of the last one is paid for
		return read;
	}

	/**
	 * Counts {@code bytes} of a chunked body just read: charged to the tenant once it is known,
	 * else kept for {@link #charge}. The 429 {@link ApiProblem} when the tenant's bytes per
	 * minute are used up, else null.
	 */
	synchronized ApiProblem read(long bytes) {
		if (metered == null) {
			unchargedBytes += bytes;
			return null;
		}
		return quotas.chargeBytes(metered, TenantQuotas.newKibibytes(meteredBytes, bytes));
	}

	private synchronized ApiProblem takeSlot(String tenant) {
		if (ended) {
			return null;
		}
		ApiProblem refused = quotas.startSubmission(tenant);
		if (refused == null) {
			submitting = tenant;
		}
		return refused;
	}

	/** Gives back the submission slot, if one was taken; the exchange takes none after this. */
	synchronized void end() {
		ended = true;
		if (submitting != null) {
			quotas.endSubmission(submitting);
			submitting = null;
		}
	}

}
