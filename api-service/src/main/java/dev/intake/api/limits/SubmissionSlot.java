package dev.intake.api.limits;

import java.util.Optional;

import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * The submission slot a write request holds ({@code intake.limits.batches-in-flight}), in the
 * Reactor context of its handling ({@link RateLimitFilter}, {@link LateAdmission}), so that a route
 * whose request is received and queued, and that then only waits for an outcome, can give it back
 * before its answer: the slots count what a tenant is sending, not what it waits for.
 */
public final class SubmissionSlot {

	private static final Object KEY = SubmissionSlot.class;

	private SubmissionSlot() {
	}

	/** {@code context} with {@code giveBack}, which returns the request's slot (idempotent). */
	static Context with(Context context, Runnable giveBack) {
		return context.put(KEY, giveBack);
	}

	/**
	 * Subscribes to {@code waiting}, work of {@code tenant}'s request that receives and queues
	 * nothing more (a single-file upload waiting for its stored file), with the request's submission
	 * slot traded for one of the tenant's live progress stream places while it runs: the wait is
	 * bounded per tenant by {@code intake.limits.event-streams}, as a live progress stream is. When
	 * the tenant has none free, the request keeps its slot until its answer, as before.
	 */
	public static <T> Mono<T> whileWaiting(TenantQuotas quotas, String tenant, Mono<T> waiting) {
		return Mono.deferContextual(context -> {
			Optional<Runnable> slot = context.getOrEmpty(KEY);
			if (slot.isEmpty() || quotas.openEventStream(tenant) != null) {
				return waiting;
			}
			slot.get().run();
			return waiting.doFinally(signal -> quotas.closeEventStream(tenant));
		});
	}

}
