package dev.intake.worker.jobs;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemError;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.ItemResult.ImageFailed;
import dev.intake.contracts.ItemSource;
import dev.intake.worker.ingest.TransientFailure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.support.serializer.DeserializationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FailedJobRecovererTest {

	private static final IngestImage JOB = new IngestImage("acme", "b-1", "acme/b-1/3", 3, "a.png",
			new ItemSource.Remote("https://images.example/a.png"), 1);

	private final List<Exception> deadLettered = new ArrayList<>();

	private final List<ItemResult> published = new ArrayList<>();

	private final List<IngestImage> discarded = new ArrayList<>();

	private final FailedJobRecoverer recoverer = new FailedJobRecoverer(
			(record, consumer, ex) -> deadLettered.add(ex), published::add,
			Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC), discarded::add);

	private final ConsumerRecord<String, Object> record = new ConsumerRecord<>("intake.jobs", 1, 42, JOB.itemId(), JOB);

	@AfterEach
	void clearInterrupt() {
		Thread.interrupted();
	}

	@Test
	void transientFailureOutlastingTheRetriesIsDeadLetteredAndFailsTheItemSayingSo() {
		recoverer.accept(record, null, new TransientFailure("S3 down", new RuntimeException("503")));

		assertThat(deadLettered).hasSize(1);
		assertThat(published).singleElement()
			.isInstanceOfSatisfying(ImageFailed.class, failed -> {
				assertThat(failed.code()).isEqualTo(ItemError.RETRIES_EXHAUSTED.name());
				assertThat(failed.attempt()).isEqualTo(1);
				assertThat(failed.index()).isEqualTo(3);
			});
		assertThat(discarded).containsExactly(JOB);
	}

	@Test
	void unexpectedFailureIsDeadLetteredAsProcessingFailed() {
		recoverer.accept(record, null, new IllegalStateException("decoder bug"));

		assertThat(deadLettered).hasSize(1);
		assertThat(published).singleElement()
			.extracting(result -> ((ImageFailed) result).code())
			.isEqualTo(ItemError.PROCESSING_FAILED.name());
	}

	@Test
	void decodeCancelledByAnInterruptIsRedeliveredNotDeadLettered() {
		Thread.currentThread().interrupt();

		assertThatThrownBy(() -> recoverer.accept(record, null,
				new CancellationException("interrupted while waiting for a decode")))
			.isInstanceOf(FailedJobRecoverer.JobInterruptedException.class);
		assertThat(deadLettered).isEmpty();
		assertThat(published).isEmpty();
		assertThat(discarded).isEmpty();
	}

	@Test
	void publishInterruptedIsRedeliveredEvenAfterTheRetries() {
		var failure = new TransientFailure("interrupted while publishing a result", new InterruptedException());

		assertThatThrownBy(() -> recoverer.accept(record, null, failure))
			.isInstanceOf(FailedJobRecoverer.JobInterruptedException.class);
		assertThat(deadLettered).isEmpty();
		assertThat(published).isEmpty();
	}

	@Test
	void cancellationRaisedByTheJobsOwnCodeWithoutAnInterruptIsDeadLettered() {
		recoverer.accept(record, null, new IllegalStateException(new CancellationException("task cancelled")));

		assertThat(deadLettered).hasSize(1);
		assertThat(published).singleElement()
			.extracting(result -> ((ImageFailed) result).code())
			.isEqualTo(ItemError.PROCESSING_FAILED.name());
	}

	@Test
	void anUnreadableJobFailsTheItemItsKeyNamesWithTheAttemptItsBytesTell() {
		byte[] bytes = "{\"tenant\":\"acme\",\"attempt\": 2, \"source\": oops".getBytes();
		var unreadable = new ConsumerRecord<String, Object>("intake.jobs", 1, 43, "acme/b-1/3", null);

		recoverer.accept(unreadable, null, new DeserializationException("cannot read", bytes, false, null));

		assertThat(deadLettered).hasSize(1);
		assertThat(published).singleElement().isInstanceOfSatisfying(ImageFailed.class, failed -> {
			assertThat(failed.tenant()).isEqualTo("acme");
			assertThat(failed.batchId()).isEqualTo("b-1");
			assertThat(failed.itemId()).isEqualTo("acme/b-1/3");
			assertThat(failed.index()).isEqualTo(3);
			assertThat(failed.attempt()).isEqualTo(2);
			assertThat(failed.code()).isEqualTo(ItemError.PROCESSING_FAILED.name());
		});
	}

	@Test
	void anUnreadableJobWithAKeyNamingNoItemIsOnlyDeadLettered() {
		var unreadable = new ConsumerRecord<String, Object>("intake.jobs", 1, 44, "garbage", null);

		recoverer.accept(unreadable, null, new DeserializationException("cannot read", new byte[] { 1 }, false, null));

		assertThat(deadLettered).hasSize(1);
		assertThat(published).isEmpty();
	}

	@Test
	void socketTimeoutIsNotAnInterruption() {
		assertThat(Interruptions.isInterruption(new java.net.SocketTimeoutException("read timed out"))).isFalse();
	}

}
