package dev.intake.status.live;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.intake.status.view.BatchStatusView;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class LiveBatchEventsTest {

	private static final Duration EVERY = Duration.ofSeconds(15);

	private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

	/** Where the batch waits, as the job queue says it at each read. */
	private final AtomicReference<BatchStatusView> queue = new AtomicReference<>();

	@Test
	void anEstimateThatGoesAwayWhileNoItemChangesIsSentAgain() {
		queue.set(view(0).waiting(3, T0.plusSeconds(60)));

		StepVerifier.withVirtualTime(() -> LiveBatchEvents.withWhereItWaits(Flux.<Integer>just(0).concatWith(Flux.never()),
				state -> Mono.fromSupplier(queue::get), EVERY))
			.expectNext(view(0).waiting(3, T0.plusSeconds(60)))
			.then(() -> queue.set(view(0).waiting(3, null)))
			.thenAwait(EVERY)
			.expectNext(view(0).waiting(3, null))
			.thenCancel()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void anEstimateThatMovesLittleIsNotSentAgainAndTheQueueMovingIs() {
		queue.set(view(0).waiting(5, T0.plusSeconds(60)));

		StepVerifier.withVirtualTime(() -> LiveBatchEvents.withWhereItWaits(Flux.<Integer>just(0).concatWith(Flux.never()),
				state -> Mono.fromSupplier(queue::get), EVERY))
			.expectNext(view(0).waiting(5, T0.plusSeconds(60)))
			.then(() -> queue.set(view(0).waiting(5, T0.plusSeconds(61))))
			.thenAwait(EVERY)
			.then(() -> queue.set(view(0).waiting(2, T0.plusSeconds(61))))
			.thenAwait(EVERY)
			.expectNext(view(0).waiting(2, T0.plusSeconds(61)))
			.thenCancel()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void aNewStateIsSentAtOnceAndReadAgainFromThen() {
		StepVerifier.withVirtualTime(() -> LiveBatchEvents.withWhereItWaits(Flux.just(0, 1).concatWith(Flux.never()),
				state -> Mono.just(view(state)), EVERY))
			.expectNext(view(0), view(1))
			.expectNoEvent(EVERY.multipliedBy(3))
			.thenCancel()
			.verify(Duration.ofSeconds(10));
	}

	/** A slow read of one state's view (the queue's first look-up) is not cancelled by the next state. */
	@Test
	void eachStatesViewIsReadToItsEndWhenTheNextStateComesSooner() {
		StepVerifier.withVirtualTime(() -> LiveBatchEvents.withWhereItWaits(Flux.just(0, 1).concatWith(Flux.never()),
				state -> Mono.just(view(state)).delayElement(Duration.ofSeconds(2 - state)), EVERY))
			.thenAwait(Duration.ofSeconds(3))
			.expectNext(view(0), view(1))
			.thenCancel()
			.verify(Duration.ofSeconds(10));
	}

	private static BatchStatusView view(int processed) {
		return new BatchStatusView("b", 2, processed, processed, 0, "TASK_PENDING", null, null, List.of());
	}

}
