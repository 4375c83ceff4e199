package dev.intake.api;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Readiness reports the S3 connection pool uploads use as exhausted while every connection is held. */
@ApiServiceTest
class S3PoolReadinessTest {

	@Autowired
	S3AsyncClient s3;

	@Autowired
	@Qualifier("s3HealthIndicator")
	HealthIndicator health;

	@Test
	void reportsAnExhaustedPoolUntilItsConnectionsComeBack() {
		TestServers.s3()
			.putObject(put -> put.bucket(TestServers.BUCKET).key("pool/held"), RequestBody.fromBytes(new byte[100]));
		List<ResponsePublisher<GetObjectResponse>> held = new ArrayList<>();
		List<CompletableFuture<ResponsePublisher<GetObjectResponse>>> gets = new ArrayList<>();
		// the test configuration's pool: intake.s3.max-connections (64 by default)
		for (int i = 0; i < 64; i++) {
			gets.add(s3.getObject(get -> get.bucket(TestServers.BUCKET).key("pool/held"),
					AsyncResponseTransformer.toPublisher()));
		}
		gets.forEach(get -> held.add(get.join()));
		try {
			Health exhausted = health.health(true);
			assertThat(exhausted.getStatus()).isEqualTo(Status.DOWN);
			assertThat(exhausted.getDetails()).containsKey("pool");
		}
		finally {
			held.forEach(S3PoolReadinessTest::cancel);
		}
		assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
	}

	private static void cancel(ResponsePublisher<GetObjectResponse> body) {
		body.subscribe(new BaseSubscriber<ByteBuffer>() {
			@Override
			protected void hookOnSubscribe(Subscription subscription) {
				cancel();
			}
		});
	}

}
