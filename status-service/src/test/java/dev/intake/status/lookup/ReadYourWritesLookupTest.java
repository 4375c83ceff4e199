package dev.intake.status.lookup;

import java.time.Duration;
import java.util.Optional;

import dev.intake.status.progress.BatchProgress;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static dev.intake.status.progress.Batches.aBatchOf;
import static dev.intake.status.progress.Batches.progressOf;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

/**
 * The decision logic of read-your-writes, over stand-ins for the store and the offsets; the
 * real thing over a broker is in {@code StatusServiceIntegrationTest}.
 */
class ReadYourWritesLookupTest {

	private static final String KEY = "acme/batch-1";

	private final BatchProgressStore store = mock(BatchProgressStore.class);

	private final StoreCatchUpCheck catchUp = mock(StoreCatchUpCheck.class);

	/**
	 * Waits up to a minute for the store to catch up: the tests that expect it to catch up poll a
	 * few times, which must not be cut short because a busy machine delayed the polls.
	 */
	private final ReadYourWritesLookup lookup = new ReadYourWritesLookup(store, catchUp, Schedulers.boundedElastic(),
			Duration.ofMinutes(1), Duration.ofMillis(10));

	/** Gives up after 300 ms, for the tests of giving up. */
	private final ReadYourWritesLookup impatient = new ReadYourWritesLookup(store, catchUp,
			Schedulers.boundedElastic(), Duration.ofMillis(300), Duration.ofMillis(10));

	private final BatchProgress batch = progressOf(aBatchOf(2));

	@Test
	void aHitNeedsNoOffsets() {
		given(store.find(KEY, 3)).willReturn(Optional.of(batch));

		StepVerifier.create(lookup.find(KEY, 3)).expectNext(Optional.of(batch)).verifyComplete();

		then(catchUp).should(never()).endOffset(3);
	}

	@Test
	void aHitTheCallerAlreadyReadNeedsNeitherAnotherReadNorOffsets() {
		StepVerifier.create(lookup.believe(KEY, 3, Optional.of(batch))).expectNext(Optional.of(batch)).verifyComplete();

		then(store).should(never()).find(KEY, 3);
		then(catchUp).should(never()).endOffset(3);
	}

	@Test
	void aMissTheCallerAlreadyReadIsBelievedOnlyOnceTheStoreCaughtUp() {
		given(store.find(KEY, 3)).willReturn(Optional.empty(), Optional.of(batch));
		given(catchUp.endOffset(3)).willReturn(Mono.just(42L));
		given(catchUp.processedOffset(3)).willReturn(Mono.just(40L));

		StepVerifier.create(lookup.believe(KEY, 3, Optional.empty())).expectNext(Optional.of(batch)).verifyComplete();
	}

	@Test
	void aMissIsGenuineOnceTheStoreProcessedEverythingCommitted() {
		given(store.find(KEY, 3)).willReturn(Optional.empty());
		given(catchUp.endOffset(3)).willReturn(Mono.just(42L));
		given(catchUp.processedOffset(3)).willReturn(Mono.just(40L), Mono.just(41L), Mono.just(42L));

		StepVerifier.create(lookup.find(KEY, 3)).expectNext(Optional.empty()).verifyComplete();
	}

	@Test
	void aBatchTheStoreIsStillBehindOnIsWaitedFor() {
		given(store.find(KEY, 3)).willReturn(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(batch));
		given(catchUp.endOffset(3)).willReturn(Mono.just(42L));
		given(catchUp.processedOffset(3)).willReturn(Mono.just(40L));

		StepVerifier.create(lookup.find(KEY, 3)).expectNext(Optional.of(batch)).verifyComplete();
	}

	@Test
	void aStoreThatDoesNotCatchUpInTimeIsUnavailableNotMissing() {
		given(store.find(KEY, 3)).willReturn(Optional.empty());
		given(catchUp.endOffset(3)).willReturn(Mono.just(42L));
		given(catchUp.processedOffset(3)).willReturn(Mono.just(40L));

		StepVerifier.create(impatient.find(KEY, 3))
			.expectError(StatusUnavailableException.class)
			.verify(Duration.ofSeconds(30));
	}

	@Test
	void offsetLookUpsThatHangAreCutShort() {
		given(store.find(KEY, 3)).willReturn(Optional.empty());
		given(catchUp.endOffset(3)).willReturn(Mono.never());

		StepVerifier.create(impatient.find(KEY, 3))
			.expectError(StatusUnavailableException.class)
			.verify(Duration.ofSeconds(30));
	}

}
