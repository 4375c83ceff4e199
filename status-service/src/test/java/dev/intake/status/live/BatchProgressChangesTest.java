package dev.intake.status.live;

import java.time.Duration;

import dev.intake.contracts.BatchSubmitted;
import dev.intake.status.lookup.StatusUnavailableException;
import dev.intake.status.progress.BatchProgress;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static dev.intake.status.progress.Batches.aBatchOf;
import static dev.intake.status.progress.Batches.progressOf;
import static dev.intake.status.progress.Batches.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BatchProgressChangesTest {

	private final BatchSubmitted batch = aBatchOf(3);

	private final BatchProgress pending = progressOf(batch);

	private final BatchProgress one = progressOf(batch, stored(batch, 0));

	private final BatchProgress two = progressOf(batch, stored(batch, 0), stored(batch, 1));

	@Test
	void aWatcherGetsTheUpdatesOfItsBatchOnly() {
		BatchProgressChanges changes = new BatchProgressChanges(10);
		try (var watch = changes.watch("acme/batch-1")) {
			StepVerifier.create(watch.updates())
				.then(() -> changes.changed("acme/other", pending))
				.then(() -> changes.changed("acme/batch-1", one))
				.expectNext(one)
				.then(() -> changes.changed("acme/batch-1", two))
				.expectNext(two)
				.thenCancel()
				.verify(Duration.ofMinutes(1));
		}
	}

	@Test
	void anUpdateBetweenWatchingAndSubscribingIsNotLost() {
		BatchProgressChanges changes = new BatchProgressChanges(10);
		try (var watch = changes.watch("acme/batch-1")) {
			changes.changed("acme/batch-1", one);
			changes.changed("acme/batch-1", two);

			StepVerifier.create(watch.updates()).expectNext(two).thenCancel().verify(Duration.ofMinutes(1));
		}
	}

	@Test
	void aSlowWatcherSkipsToTheLatestUpdate() {
		BatchProgressChanges changes = new BatchProgressChanges(10);
		try (var watch = changes.watch("acme/batch-1")) {
			StepVerifier.create(watch.updates(), 0)
				.then(() -> changes.changed("acme/batch-1", pending))
				.then(() -> changes.changed("acme/batch-1", one))
				.then(() -> changes.changed("acme/batch-1", two))
				.thenRequest(1)
				.expectNext(two)
				.thenCancel()
				.verify(Duration.ofMinutes(1));
		}
	}

	@Test
	void aFeedIsKeptOnlyWhileWatched() {
		BatchProgressChanges changes = new BatchProgressChanges(10);
		var first = changes.watch("acme/batch-1");
		var second = changes.watch("acme/batch-1");
		assertThat(changes.watchedBatches()).isEqualTo(1);

		first.close();
		first.close();
		assertThat(changes.watchedBatches()).isEqualTo(1);
		second.close();
		assertThat(changes.watchedBatches()).isZero();

		changes.changed("acme/batch-1", one);
		try (var late = changes.watch("acme/batch-1")) {
			StepVerifier.create(late.updates()).expectSubscription().expectNoEvent(Duration.ofMillis(100))
				.thenCancel().verify(Duration.ofMinutes(1));
		}
	}

	@Test
	void watchersAreCapped() {
		BatchProgressChanges changes = new BatchProgressChanges(2);
		var a = changes.watch("acme/a");
		var b = changes.watch("acme/b");
		assertThatExceptionOfType(StatusUnavailableException.class).isThrownBy(() -> changes.watch("acme/c"));
		a.close();
		changes.watch("acme/c").close();
		b.close();
		assertThat(changes.watchedBatches()).isZero();
	}

}
