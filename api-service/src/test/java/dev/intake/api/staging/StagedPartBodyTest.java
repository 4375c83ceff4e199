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

	@Test
	void keepsAPartThatEndsWithinTheKeepLimitWhole() {
		TestPublisher<DataBuffer> part = TestPublisher.create();
		StagedPartBody body = new StagedPartBody(100, 10, Context.empty());
		part.flux().subscribe(body);
		body.begin();

		part.assertMinRequested(1);
		part.next(buffer("abc"));
		part.next(buffer("defg")).complete();

		StagedPartBody.Start start = body.start().block();
		assertThat(start).isInstanceOfSatisfying(StagedPartBody.Whole.class, whole -> {
			assertThat(whole.size()).isEqualTo(7);
			assertThat(whole.buffers()).extracting(StagedPartBodyTest::text).containsExactly("abc", "defg");
		});
		assertThat(body.size().block()).isEqualTo(7);
	}

	@Test
	void relaysTheRestOfAPartThatOutgrowsTheKeepLimit() {
		TestPublisher<DataBuffer> part = TestPublisher.create();
		StagedPartBody body = new StagedPartBody(100, 4, Context.empty());
		part.flux().subscribe(body);
		body.begin();
		part.next(buffer("abc"));
		part.next(buffer("defg"));

		StagedPartBody.Start start = body.start().block();
		assertThat(start).isInstanceOf(StagedPartBody.Streamed.class);
		assertThat(((StagedPartBody.Streamed) start).kept()).extracting(StagedPartBodyTest::text)
			.containsExactly("abc", "defg");
		StepVerifier.create(Flux.from(body).map(StagedPartBodyTest::text))
			.then(() -> part.next(buffer("hi")).complete())
			.expectNext("hi")
			.verifyComplete();
		assertThat(body.size().block()).isEqualTo(9);
	}

	@Test
	void keepsNothingOfAPartThatOutgrowsTheSizeLimitWhileKept() {
		TestPublisher<DataBuffer> part = TestPublisher.create();
		StagedPartBody body = new StagedPartBody(5, 10, Context.empty());
		part.flux().subscribe(body);
		body.begin();
		part.next(buffer("abc"));
		part.next(buffer("defg"));

		assertThat(body.start().block()).isInstanceOf(StagedPartBody.TooLarge.class);
		part.next(buffer("more")).complete();
		assertThat(body.size().block()).isEqualTo(11);
		assertThat(body.exceeded()).isTrue();
	}

	@Test
	void anEmptyPartIsWhole() {
		StagedPartBody body = new StagedPartBody(5, 10, Context.empty());
		Flux.<DataBuffer>empty().subscribe(body);
		body.begin();

		assertThat(body.start().block()).isInstanceOfSatisfying(StagedPartBody.Whole.class,
				whole -> assertThat(whole.size()).isZero());
	}

	@Test
	void abandoningAPartWhileItIsKeptEndsItsStart() {
		TestPublisher<DataBuffer> part = TestPublisher.create();
		StagedPartBody body = new StagedPartBody(100, 10, Context.empty());
		part.flux().subscribe(body);
		body.begin();
		part.next(buffer("abc"));

		body.abandon();

		StepVerifier.create(body.start()).expectError(java.util.concurrent.CancellationException.class).verify();
		part.assertCancelled();
	}

	private static DataBuffer buffer(String text) {
		return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String text(ByteBuffer buffer) {
		return StandardCharsets.UTF_8.decode(buffer).toString();
	}

}
