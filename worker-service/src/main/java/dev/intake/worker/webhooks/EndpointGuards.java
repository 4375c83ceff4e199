package dev.intake.worker.webhooks;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * Per-endpoint protection of one dispatcher instance, so one slow or dead endpoint does not hold
 * back the others: at most {@code maxInFlight} deliveries in progress to an endpoint at once, and
 * a circuit breaker that opens after {@code failuresToOpen} consecutive failed attempts and then
 * fails attempts without sending them for {@code openFor}; after that one trial attempt is let
 * through (half open) and its outcome closes or re-opens the breaker. At most {@code maxEndpoints}
 * endpoints are tracked (least recently used forgotten first). Thread-safe.
 */
final class EndpointGuards {

	private final int maxInFlight;

	private final int failuresToOpen;

	private final long openForNanos;

	private final int maxEndpoints;

	/** Access order: least recently used first. */
	private final LinkedHashMap<String, State> endpoints = new LinkedHashMap<>(16, 0.75f, true);

	private static final class State {

		int inFlight;

		int failures;

		long openUntil;

		boolean trial;

	}

	EndpointGuards(int maxInFlight, int failuresToOpen, Duration openFor, int maxEndpoints) {
		this.maxInFlight = maxInFlight;
		this.failuresToOpen = failuresToOpen;
		this.openForNanos = openFor.toNanos();
		this.maxEndpoints = maxEndpoints;
	}

	/**
	 * A permit to send to {@code endpoint}, or why not: empty when the attempt may go ahead (then
	 * {@link #release} must follow), else the reason to fail it without sending.
	 */
	synchronized Optional<String> acquire(String endpoint) {
		State state = endpoints.get(endpoint);
		if (state == null) {
			forgetIdle(maxEndpoints - 1);
			state = new State();
			endpoints.put(endpoint, state);
		}
		long now = System.nanoTime();
		if (state.failures >= failuresToOpen) {
			if (now - state.openUntil < 0 || state.trial) {
				return Optional.of("the endpoint's circuit breaker is open after " + state.failures
						+ " failed attempts in a row");
			}
			state.trial = true;
		}
		if (state.inFlight >= maxInFlight) {
			return Optional.of("too many deliveries to this endpoint are in progress");
		}
		state.inFlight++;
		return Optional.empty();
	}

	/** Ends an attempt {@link #acquire} allowed, with its outcome. */
	synchronized void release(String endpoint, boolean succeeded) {
		State state = endpoints.get(endpoint);
		if (state == null) {
			return;
		}
		state.inFlight = Math.max(0, state.inFlight - 1);
		state.trial = false;
		if (succeeded) {
			state.failures = 0;
		}
		else if (++state.failures >= failuresToOpen) {
			state.openUntil = System.nanoTime() + openForNanos;
		}
	}

	/** Endpoints tracked now. */
	synchronized int size() {
		return endpoints.size();
	}

	/**
	 * Forgets least recently used endpoints with nothing in flight until at most {@code keep} are
	 * tracked; one with an attempt in flight is kept (there are at most as many as sending threads).
	 */
	private void forgetIdle(int keep) {
		for (Iterator<State> it = endpoints.values().iterator(); it.hasNext() && endpoints.size() > keep;) {
			if (it.next().inFlight == 0) {
				it.remove();
			}
		}
	}

}
