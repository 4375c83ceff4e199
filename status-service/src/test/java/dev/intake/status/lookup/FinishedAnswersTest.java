package dev.intake.status.lookup;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

import dev.intake.contracts.ApiResponse;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.status.progress.BatchProgress;
import dev.intake.status.view.BatchStatusView;
import dev.intake.status.view.ImageLinkProperties;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static dev.intake.status.progress.Batches.aBatchOf;
import static dev.intake.status.progress.Batches.failed;
import static dev.intake.status.progress.Batches.progressOf;
import static dev.intake.status.progress.Batches.stored;
import static org.assertj.core.api.Assertions.assertThat;

class FinishedAnswersTest {

	private final JsonMapper json = JsonMapper.builder().build();

	private final ImageLinkProperties links = new ImageLinkProperties(URI.create("https://cdn.example.com/"));

	private final AtomicInteger renders = new AtomicInteger();

	@Test
	void rendersAFinishedBatchOnceAndAnswersTheSameBytesAfter() {
		FinishedAnswers answers = new FinishedAnswers(json, 1 << 20);
		BatchProgress progress = finished(aBatchOf(3));

		StatusAnswer.Rendered first = answers.answer("acme/batch-1", progress, () -> view(progress));
		StatusAnswer.Rendered again = answers.answer("acme/batch-1", copyOf(progress), () -> view(progress));

		assertThat(first.json()).isEqualTo(json.writeValueAsBytes(ApiResponse.success(view(progress))));
		assertThat(again).isSameAs(first);
		assertThat(renders).as("one render by the answers, one for the comparison").hasValue(2);
	}

	@Test
	void tagsEachAnswerByItsBytesAlikeInEveryInstance() {
		BatchSubmitted batch = aBatchOf(2);
		BatchProgress before = progressOf(batch, stored(batch, 0), failed(batch, 1));
		BatchProgress retried = progressOf(batch, stored(batch, 0), stored(batch, 1));

		String tag = new FinishedAnswers(json, 1 << 20).answer("acme/batch-1", before, () -> view(before)).etag();
		String otherInstance = new FinishedAnswers(json, 0).answer("acme/batch-1", before, () -> view(before)).etag();
		String afterRetry = new FinishedAnswers(json, 0).answer("acme/batch-1", retried, () -> view(retried)).etag();

		assertThat(tag).matches("\"[A-Za-z0-9_-]{22}\"").isEqualTo(otherInstance).isNotEqualTo(afterRetry);
	}

	@Test
	void aBatchChangedSinceIsRenderedAnew() {
		FinishedAnswers answers = new FinishedAnswers(json, 1 << 20);
		BatchSubmitted batch = aBatchOf(2);
		BatchProgress before = progressOf(batch, stored(batch, 0), failed(batch, 1));
		BatchProgress retried = progressOf(batch, stored(batch, 0), stored(batch, 1));

		byte[] first = answers.answer("acme/batch-1", before, () -> view(before)).json();
		byte[] second = answers.answer("acme/batch-1", retried, () -> view(retried)).json();

		assertThat(second).isNotEqualTo(first).isEqualTo(json.writeValueAsBytes(ApiResponse.success(view(retried))));
		assertThat(answers.count()).isEqualTo(1);
		assertThat(answers.size()).isEqualTo(second.length);
	}

	@Test
	void keepsWithinItsBudgetDroppingTheLeastRecentlyAsked() {
		BatchProgress progress = finished(aBatchOf(3));
		int size = json.writeValueAsBytes(ApiResponse.success(view(progress))).length;
		FinishedAnswers answers = new FinishedAnswers(json, 4L * size);
		for (int i = 0; i < 4; i++) {
			answers.answer("acme/batch-" + i, progress, () -> view(progress));
		}
		answers.answer("acme/batch-0", progress, () -> view(progress)); // asked again: the most recent
		answers.answer("acme/batch-4", progress, () -> view(progress));

		assertThat(answers.size()).isLessThanOrEqualTo(4L * size);
		assertThat(answers.count()).isEqualTo(4);
		int before = renders.get();
		answers.answer("acme/batch-0", progress, () -> view(progress));
		assertThat(renders).as("batch-0 was kept").hasValue(before);
		answers.answer("acme/batch-1", progress, () -> view(progress));
		assertThat(renders).as("batch-1, the least recently asked, was dropped").hasValue(before + 1);
	}

	@Test
	void aZeroBudgetKeepsNothing() {
		FinishedAnswers answers = new FinishedAnswers(json, 0);
		BatchProgress progress = finished(aBatchOf(3));
		answers.answer("acme/batch-1", progress, () -> view(progress));
		answers.answer("acme/batch-1", progress, () -> view(progress));
		assertThat(renders).hasValue(2);
		assertThat(answers.count()).isZero();
	}

	private BatchStatusView view(BatchProgress progress) {
		renders.incrementAndGet();
		return BatchStatusView.of(progress.batchId(), progress, links);
	}

	private static BatchProgress finished(BatchSubmitted batch) {
		return progressOf(batch, stored(batch, 0), stored(batch, 1), stored(batch, 2));
	}

	/** An equal progress that is another object, as a read from the store may give. */
	private static BatchProgress copyOf(BatchProgress progress) {
		BatchProgress copy = finished(aBatchOf(3));
		assertThat(copy).isNotSameAs(progress).isEqualTo(progress);
		return copy;
	}

}
