package dev.intake.api.staging;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

class StagedPartBodyTest {

	@Test
	void relaysThePartWithTheUploadsDemand() {
		TestPublisher<DataBuffer> part = TestPublisher.create();
		StagedPartBody body = new StagedPartBody(10, Context.empty());
		part.flux().subscribe(body);

		StepVerifier.create(Flux.from(body).map(StagedPartBodyTest::text), 0)
			.then(() -> part.assertMinRequested(0).assertMaxRequested(0))
			.thenRequest(1)
			.then(() -> part.next(buffer("abc")))
			.expectNext("abc")
			.thenRequest(1)
			.then(() -> part.next(buffer("defg")).complete())
			.expectNext("defg")
			.verifyComplete();
		assertThat(body.size().block()).isEqualTo(7);
		assertThat(body.exceeded()).isFalse();
	}

	@Test
	void failsTheUploadPastTheLimitAndKeepsCountingToTheEnd() {
		TestPublisher<DataBuffer> part = TestPublisher.create();
		StagedPartBody body = new StagedPartBody(5, Context.empty());
		part.flux().subscribe(body);

		StepVerifier.create(Flux.from(body).map(StagedPartBodyTest::text))
			.then(() -> part.next(buffer("abc")))
			.expectNext("abc")
			.then(() -> part.next(buffer("def")))
			.expectError(StagedPartBody.PartTooLargeException.class)
			.verify();
		part.next(buffer("0123456789")).complete();

		assertThat(body.size().block()).isEqualTo(16);
		assertThat(body.exceeded()).isTrue();
	}

	@Test
	void readsThePartToTheEndWhenTheUploadGivesUp() {
		TestPublisher<DataBuffer> part = TestPublisher.create();
		StagedPartBody body = new StagedPartBody(100, Context.empty());
		part.flux().subscribe(body);

		StepVerifier.create(Flux.from(body).map(StagedPartBodyTest::text).take(1))
			.then(() -> part.next(buffer("abc")))
			.expectNext("abc")
			.verifyComplete();
		part.next(buffer("de"), buffer("f")).complete();

		assertThat(body.size().block()).isEqualTo(6);
	}

	@Test
	void canBeReadOnlyOnce() {
		StagedPartBody body = new StagedPartBody(100, Context.empty());
		Flux.<DataBuffer>never().subscribe(body);
		Flux.from(body).subscribe();

		StepVerifier.create(Flux.from(body)).expectError(IllegalStateException.class).verify();
	}

	private static DataBuffer buffer(String text) {
		return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String text(ByteBuffer buffer) {
		return StandardCharsets.UTF_8.decode(buffer).toString();
	}

}
