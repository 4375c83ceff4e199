package dev.intake.api.submission.upload;

import java.util.concurrent.atomic.AtomicReference;

import dev.intake.api.error.ApiProblem;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;

class BodyCutOffTest {

	private final Sinks.Empty<Void> cleanup = Sinks.empty();

	@Test
	void aRefusalWaitsForTheCleanup() {
		BodyCutOff cutOff = new BodyCutOff();
		ApiProblem refused = ApiProblem.badRequest("refused");
		AtomicReference<Throwable> answer = new AtomicReference<>();

		cutOff.watch(Flux.error(refused)).onErrorResume(ex -> cutOff.failAfter(cleanup.asMono(), ex))
			.subscribe(null, answer::set);
		assertThat(answer).hasNullValue();

		cleanup.tryEmitEmpty();
		assertThat(answer).hasValue(refused);
	}

	@Test
	void aBodyCutOffByTheReadTimeoutIsAnsweredBeforeTheCleanup() {
		BodyCutOff cutOff = new BodyCutOff();
		AtomicReference<Throwable> answer = new AtomicReference<>();

		cutOff.watch(Flux.error(ReadTimeoutException.INSTANCE))
			.onErrorResume(ex -> cutOff.failAfter(cleanup.asMono(), ex))
			.subscribe(null, answer::set);

		assertThat(answer).hasValue(ReadTimeoutException.INSTANCE);
		assertThat(cleanup.currentSubscriberCount()).isOne();
	}

	/**
	 * The reader may answer an earlier problem instead, and operators may wrap the timeout on its
	 * way: that answer cannot wait either.
	 */
	@Test
	void anotherAnswerToABodyCutOffIsNotHeldBackEither() {
		BodyCutOff cutOff = new BodyCutOff();
		ApiProblem earlier = ApiProblem.badRequest("refused before the body stopped");
		AtomicReference<Throwable> answer = new AtomicReference<>();

		cutOff.watch(Flux.error(new IllegalStateException("wrapped", ReadTimeoutException.INSTANCE)))
			.onErrorMap(ex -> earlier)
			.then(Mono.<Void>empty())
			.onErrorResume(ex -> cutOff.failAfter(cleanup.asMono(), ex))
			.subscribe(null, answer::set);

		assertThat(answer).hasValue(earlier);
		assertThat(cleanup.currentSubscriberCount()).isOne();
	}

}
