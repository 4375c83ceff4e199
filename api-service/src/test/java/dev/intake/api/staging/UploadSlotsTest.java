package dev.intake.api.staging;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class UploadSlotsTest {

	private static final Duration LONG = Duration.ofMinutes(1);

	@Test
	void grantsUpToItsCapacityAndHandsReleasedSlotsToTheNextInLine() {
		UploadSlots slots = new UploadSlots(2);
		UploadSlots.Slot first = slots.acquire(LONG).block();
		UploadSlots.Slot second = slots.acquire(LONG).block();
		assertThat(slots.inUse()).isEqualTo(2);

		StepVerifier.create(slots.acquire(LONG))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(50))
			.then(first::release)
			.expectNextCount(1)
			.verifyComplete();
		assertThat(slots.inUse()).isEqualTo(2);

		second.release();
		second.release(); // releasing twice frees one slot only
		assertThat(slots.inUse()).isEqualTo(1);
	}

	@Test
	void givesNothingWhenNoSlotFreesUpInTime() {
		UploadSlots slots = new UploadSlots(1);
		slots.acquire(LONG).block();

		StepVerifier.create(slots.acquire(Duration.ofMillis(50))).verifyComplete();
		assertThat(slots.inUse()).isEqualTo(1);
	}

	@Test
	void triesForAFreeSlotWithoutWaiting() {
		UploadSlots slots = new UploadSlots(1);
		UploadSlots.Slot held = slots.tryAcquire();
		assertThat(held).isNotNull();
		assertThat(slots.tryAcquire()).isNull();
		assertThat(slots.inUse()).isEqualTo(1);

		StepVerifier.create(slots.acquire(LONG))
			.expectSubscription()
			.then(held::release)
			.expectNextCount(1)
			.verifyComplete();
		assertThat(slots.tryAcquire()).isNull(); // handed to the one waiting
	}

	@Test
	void aCancelledWaitTakesNoSlot() {
		UploadSlots slots = new UploadSlots(1);
		UploadSlots.Slot held = slots.acquire(LONG).block();
		Disposable waiting = slots.acquire(LONG).subscribe();
		waiting.dispose();

		held.release();

		assertThat(slots.inUse()).isZero();
		assertThat(slots.acquire(LONG).block()).isNotNull();
	}

	@Test
	void theBufferBudgetHoldsWhatFitsAndTakesBackWhatIsReleased() {
		UploadSlots slots = new UploadSlots(4, 100);

		assertThat(slots.tryHoldBuffered(60)).isTrue();
		assertThat(slots.tryHoldBuffered(50)).isFalse();
		assertThat(slots.tryHoldBuffered(40)).isTrue();
		assertThat(slots.buffered()).isEqualTo(100);
		slots.releaseBuffered(60);
		assertThat(slots.tryHoldBuffered(50)).isTrue();
		assertThat(new UploadSlots(4).tryHoldBuffered(1)).isFalse();
	}

	@Test
	void unauthenticatedFilesWaitForTheirOwnShareAndReleaseBothSlotsAtOnce() {
		UploadSlots slots = new UploadSlots(3, 0, 1);
		UploadSlots.Slot anonymous = slots.acquireUnauthenticated(LONG).block();
		assertThat(slots.inUse()).isEqualTo(1);
		assertThat(slots.unauthenticatedInUse()).isEqualTo(1);

		// two slots are free, but not for a second anonymous file; a known tenant's file gets one
		StepVerifier.create(slots.acquireUnauthenticated(Duration.ofMillis(50))).verifyComplete();
		assertThat(slots.acquire(LONG).block()).isNotNull();
		assertThat(slots.inUse()).isEqualTo(2);
		assertThat(slots.unauthenticatedInUse()).isEqualTo(1);

		StepVerifier.create(slots.acquireUnauthenticated(LONG))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(50))
			.then(anonymous::release)
			.expectNextCount(1)
			.verifyComplete();
		assertThat(slots.inUse()).isEqualTo(2);
		assertThat(slots.unauthenticatedInUse()).isEqualTo(1);
	}

	@Test
	void anUnauthenticatedFileThatGetsNoSlotInTimeGivesBackItsShare() {
		UploadSlots slots = new UploadSlots(1, 0, 2);
		UploadSlots.Slot held = slots.acquire(LONG).block();

		StepVerifier.create(slots.acquireUnauthenticated(Duration.ofMillis(50))).verifyComplete();
		assertThat(slots.unauthenticatedInUse()).isZero();

		Disposable waiting = slots.acquireUnauthenticated(LONG).subscribe();
		assertThat(slots.unauthenticatedInUse()).isEqualTo(1);
		waiting.dispose();
		assertThat(slots.unauthenticatedInUse()).isZero();

		held.release();
		assertThat(slots.inUse()).isZero();
	}

	@Test
	void withoutACapOfTheirOwnUnauthenticatedFilesMayTakeEverySlot() {
		UploadSlots slots = new UploadSlots(2);
		assertThat(slots.acquireUnauthenticated(LONG).block()).isNotNull();
		assertThat(slots.acquireUnauthenticated(LONG).block()).isNotNull();
		assertThat(slots.inUse()).isEqualTo(2);
		assertThat(slots.unauthenticatedInUse()).isZero();
	}

}
