package dev.intake.api.staging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;

import dev.intake.api.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import software.amazon.awssdk.services.s3.S3AsyncClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A request's staged objects against a real S3 server: discarding waits for uploads in flight
 * before deleting, and refuses to stage anything once it has begun, so an archive thread that is
 * still expanding a cancelled request cannot leave an object behind.
 */
@Timeout(60)
class StagedObjectsTest {

	private static final String BUCKET = "staged-objects-test";

	private static S3AsyncClient s3;

	private final StagedObjects staged = new StagedObjects(new StagingArea(s3, BUCKET));

	@BeforeAll
	static void startS3() {
		s3 = TestServers.s3Async();
		s3.createBucket(create -> create.bucket(BUCKET)).exceptionally(ex -> null).join();
	}

	@AfterAll
	static void stopS3() {
		s3.close();
	}

	@Test
	void discardingWaitsForAnUploadInFlightAndThenDeletesIt() {
		Sinks.Many<DataBuffer> content = Sinks.many().unicast().onBackpressureBuffer();
		Mono<StagingArea.Staged> staging = staged.stage("staging/t/u/0", "image/png", content.asFlux(), 1024);
		staging.subscribe();
		content.tryEmitNext(buffer("first half "));

		Mono<Void> discarding = staged.discard();
		discarding.subscribe();
		content.tryEmitNext(buffer("second half"));
		content.tryEmitComplete();
		discarding.block(Duration.ofSeconds(30));

		assertThat(keys("staging/t/u/")).isZero();
	}

	@Test
	void nothingIsStagedOnceDiscardingHasBegun() {
		staged.stage("staging/t/v/0", "image/png", Mono.just(buffer("kept briefly")).flux(), 1024)
			.block(Duration.ofSeconds(30));
		staged.discard().block(Duration.ofSeconds(30));

		assertThatThrownBy(() -> staged
			.stage("staging/t/v/1", "image/png", Mono.just(buffer("too late")).flux(), 1024)
			.block(Duration.ofSeconds(30))).isInstanceOf(CancellationException.class);
		assertThat(keys("staging/t/v/")).isZero();
	}

	@Test
	void aReadFileWhoseBytesFitTheBudgetIsStoredInTheBackgroundHoldingItsSlot() {
		UploadSlots slots = new UploadSlots(2, 1024);

		StagingArea.Staged read = stageHoldingASlot(staged, "staging/t/w/0", "small image", slots);
		assertThat(read.size()).isEqualTo(11);
		assertThat(read.failed()).isFalse();
		staged.stored().block(Duration.ofSeconds(30));

		assertThat(keys("staging/t/w/")).isOne();
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> slots.inUse() == 0);
		assertThat(slots.buffered()).isZero();
	}

	@Test
	void aFileOverTheBudgetIsStoredBeforeItIsAnswered() {
		UploadSlots slots = new UploadSlots(2, 4);

		StagingArea.Staged stored = stageHoldingASlot(staged, "staging/t/x/0", "large image", slots);

		assertThat(stored.failed()).isFalse();
		assertThat(keys("staging/t/x/")).isOne();
		assertThat(slots.inUse()).isZero();
		assertThat(slots.buffered()).isZero();
	}

	@Test
	void aBackgroundUploadThatFailsIsToldOnceItSettled() {
		StagedObjects nowhere = new StagedObjects(new StagingArea(s3, "no-such-bucket-for-staging"));
		UploadSlots slots = new UploadSlots(2, 1024);

		StagingArea.Staged read = stageHoldingASlot(nowhere, "staging/t/y/0", "lost image", slots);
		assertThat(read.failed()).isFalse(); // not known yet
		assertThatThrownBy(() -> nowhere.stored().block(Duration.ofSeconds(30)))
			.isInstanceOfSatisfying(dev.intake.api.error.ApiProblem.class,
					problem -> assertThat(problem.status().value()).isEqualTo(503));
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> slots.inUse() == 0);
	}

	private static StagingArea.Staged stageHoldingASlot(StagedObjects objects, String key, String content,
			UploadSlots slots) {
		UploadSlots.Slot slot = slots.acquire(Duration.ofSeconds(1)).block();
		return objects.stage(key, "image/png", Mono.just(buffer(content)).flux(), 1024, slots, slot)
			.block(Duration.ofSeconds(30));
	}

	private static DataBuffer buffer(String text) {
		return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.US_ASCII));
	}

	private static int keys(String prefix) {
		return s3.listObjectsV2(list -> list.bucket(BUCKET).prefix(prefix)).join().keyCount();
	}

}
