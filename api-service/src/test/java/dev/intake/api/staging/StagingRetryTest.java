package dev.intake.api.staging;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.intake.api.TestServers;
import dev.intake.platform.s3.IntakeS3Properties;
import dev.intake.platform.s3.S3ClientsConfiguration;
import dev.intake.testsupport.S3ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.util.unit.DataSize;

import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Staging through a store that fails the next PUTs ({@link FlakyStore} in front of a real S3
 * server), with the client configured as the service configures it: a part within the retry
 * buffer is retried by the client and stored once; a longer one, streamed, fails as before.
 */
@Timeout(120)
class StagingRetryTest {

	private static final String BUCKET = "staging-retry-test";

	private static final int MB = 1024 * 1024;

	private static final int RETRY_BUFFER = 64 * 1024;

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static FlakyStore store;

	private static S3AsyncClient s3;

	private final StagingArea area = new StagingArea(s3, BUCKET,
			new StagingProperties(DataSize.ofBytes(RETRY_BUFFER), DataSize.ofBytes(2 * RETRY_BUFFER)));

	private final StagedObjects staged = new StagedObjects(area);

	@BeforeAll
	static void start() {
		S3ProxyFixture.shared().client().createBucket(create -> create.bucket(BUCKET));
		store = new FlakyStore(TestServers.s3Endpoint());
		s3 = S3ClientsConfiguration.asyncClient(properties(store.endpoint()), 8, Duration.ofSeconds(5));
	}

	@AfterAll
	static void stop() {
		s3.close();
		store.close();
	}

	@ParameterizedTest
	@EnumSource(FlakyStore.Fault.class)
	void aPartWithinTheRetryBufferIsStoredDespiteTransientErrors(FlakyStore.Fault fault) {
		String key = "staging/t/" + fault + "/0";
		byte[] content = TestServers.bytes(40_000, 1);
		store.failNextPuts(2, fault);

		StagingArea.Staged result = staged.stage(key, "image/png", chunks(content, 4096), MB).block(WAIT);

		assertThat(result).isEqualTo(new StagingArea.Staged(40_000, false, false));
		assertThat(store.failuresLeft()).isZero();
		assertThat(store.puts()).filteredOn(path -> path.endsWith(key)).hasSize(3);
		assertThat(keys("staging/t/" + fault + "/")).containsExactly(key);
		assertThat(read(key)).isEqualTo(content);
		assertThat(area.retryBuffersHeld()).isZero();
	}

	@Test
	void aPartLargerThanTheRetryBufferIsStreamedAndFailsOnATransientError() {
		byte[] content = TestServers.bytes(3 * RETRY_BUFFER, 2);
		store.failNextPuts(1, FlakyStore.Fault.SLOW_DOWN);

		StagingArea.Staged result = staged.stage("staging/t/large/0", "image/png", chunks(content, 8192), MB)
			.block(WAIT);

		assertThat(result.failed()).isTrue();
		assertThat(result.size()).isEqualTo(content.length);
		// (S3Proxy may keep the aborted attempt under a temporary name of its own)
		assertThat(keys("staging/t/large/")).doesNotContain("staging/t/large/0");
		assertThat(area.retryBuffersHeld()).isZero();
	}

	@Test
	void aPartLargerThanTheRetryBufferIsStreamedWhole() {
		byte[] content = TestServers.bytes(3 * RETRY_BUFFER + 17, 3);

		StagingArea.Staged result = staged.stage("staging/t/streamed/0", "image/png", chunks(content, 8192), MB)
			.block(WAIT);

		assertThat(result).isEqualTo(new StagingArea.Staged(content.length, false, false));
		assertThat(read("staging/t/streamed/0")).isEqualTo(content);
		assertThat(area.retryBuffersHeld()).isZero();
	}

	@Test
	void aPartOverTheSizeLimitWithinTheRetryBufferIsNotStored() {
		StagingArea.Staged result = staged
			.stage("staging/t/over/0", "image/png", chunks(TestServers.bytes(5000, 4), 1000), 4000)
			.block(WAIT);

		assertThat(result).isEqualTo(new StagingArea.Staged(5000, true, false));
		assertThat(keys("staging/t/over/")).isEmpty();
		assertThat(area.retryBuffersHeld()).isZero();
	}

	@Test
	void anEmptyPartIsStored() {
		StagingArea.Staged result = staged.stage("staging/t/empty/0", "image/png", Flux.empty(), MB).block(WAIT);

		assertThat(result).isEqualTo(new StagingArea.Staged(0, false, false));
		assertThat(read("staging/t/empty/0")).isEmpty();
	}

	@Test
	void partsBeyondTheRetryBudgetAreStreamed() {
		// two parts kept at once use up the budget: a third, arriving meanwhile, streams
		Sinks.Many<DataBuffer> first = Sinks.many().unicast().onBackpressureBuffer();
		Sinks.Many<DataBuffer> second = Sinks.many().unicast().onBackpressureBuffer();
		staged.stage("staging/t/budget/0", "image/png", first.asFlux(), MB).subscribe();
		staged.stage("staging/t/budget/1", "image/png", second.asFlux(), MB).subscribe();
		first.tryEmitNext(DefaultDataBufferFactory.sharedInstance.wrap(TestServers.bytes(100, 5)));
		assertThat(area.retryBuffersHeld()).isEqualTo(2L * RETRY_BUFFER);
		store.failNextPuts(1, FlakyStore.Fault.SLOW_DOWN);

		StagingArea.Staged third = staged
			.stage("staging/t/budget/2", "image/png", chunks(TestServers.bytes(100, 6), 100), MB)
			.block(WAIT);
		first.tryEmitComplete();
		second.tryEmitComplete();

		assertThat(third.failed()).isTrue(); // streamed, so not retried
		staged.stored().onErrorComplete().block(WAIT);
		await().atMost(WAIT).until(() -> area.retryBuffersHeld() == 0);
		assertThat(keys("staging/t/budget/")).containsExactly("staging/t/budget/0", "staging/t/budget/1");
	}

	private static Flux<DataBuffer> chunks(byte[] content, int size) {
		return Flux.range(0, (content.length + size - 1) / size).map(i -> {
			int from = i * size;
			int length = Math.min(size, content.length - from);
			byte[] chunk = new byte[length];
			System.arraycopy(content, from, chunk, 0, length);
			return DefaultDataBufferFactory.sharedInstance.wrap(chunk);
		});
	}

	private static List<String> keys(String prefix) {
		return S3ProxyFixture.shared()
			.client()
			.listObjectsV2(list -> list.bucket(BUCKET).prefix(prefix))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

	private static byte[] read(String key) {
		return S3ProxyFixture.shared()
			.client()
			.getObject(get -> get.bucket(BUCKET).key(key), ResponseTransformer.toBytes())
			.asByteArray();
	}

	private static IntakeS3Properties properties(URI endpoint) {
		return new IntakeS3Properties(endpoint, "us-east-1", BUCKET, S3ProxyFixture.ACCESS_KEY,
				S3ProxyFixture.SECRET_KEY, true, false, 8, Duration.ofSeconds(30), Duration.ofSeconds(5),
				Duration.ofSeconds(30), Duration.ofMinutes(20));
	}

}
