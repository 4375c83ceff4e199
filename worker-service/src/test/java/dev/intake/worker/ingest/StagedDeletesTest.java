package dev.intake.worker.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.intake.contracts.BlobRef;
import dev.intake.testsupport.S3ProxyFixture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a real S3 server: a delete returns once the object is gone; deletes asked for at the same
 * time go out together, a few requests for many objects; a staged object whose delete storage refuses is deleted once storage answers
 * again, without anyone asking twice.
 */
// a guard against a hang: writing and deleting 800 objects took over a minute at a load of 100 on two cores
@Timeout(300)
class StagedDeletesTest {

	/** One S3 server for the class; each test has a bucket of its own. */
	private static S3ProxyFixture s3;

	private StagedDeletes deletes;

	@BeforeAll
	static void startS3() throws Exception {
		s3 = S3ProxyFixture.start();
	}

	@AfterAll
	static void stopS3() throws Exception {
		s3.close();
	}

	@AfterEach
	void tearDown() {
		if (deletes != null) {
			deletes.close();
		}
	}

	@Test
	void aDeleteReturnsOnceTheObjectIsGone() throws Exception {
		String bucket = "returns-once-gone";
		s3.withBucket(bucket);
		S3Client client = s3.newWorkerClient();
		client.putObject(put -> put.bucket(bucket).key("staging/t/u/0"), RequestBody.fromBytes(new byte[] { 1, 2, 3 }));
		deletes = new StagedDeletes(client, Duration.ofHours(1), 10);

		deletes.delete(new BlobRef(bucket, "staging/t/u/0", 3, "image/png"));

		assertThat(client.listObjectsV2(list -> list.bucket(bucket).prefix("staging/")).keyCount()).isZero();
		assertThat(deletes.pending()).isZero();
	}

	@Test
	void deletesAskedForAtTheSameTimeShareRequests() throws Exception {
		String bucket = "share-requests";
		s3.withBucket(bucket);
		Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
		S3Client client = s3.newWorkerClientBuilder()
			.overrideConfiguration(config -> config.addExecutionInterceptor(new ExecutionInterceptor() {
				@Override
				public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
					requests.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
							name -> new AtomicInteger()).incrementAndGet();
				}
			}))
			.build();
		int threads = 16;
		int each = 50;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			// the objects, each thread putting the share it then deletes
			List<Future<?>> staged = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int first = t * each;
				staged.add(pool.submit(() -> {
					for (int i = first; i < first + each; i++) {
						String key = "staging/t/u/" + i;
						client.putObject(put -> put.bucket(bucket).key(key), RequestBody.fromBytes(new byte[] { 1, 2, 3 }));
					}
				}));
			}
			for (Future<?> future : staged) {
				future.get();
			}
			deletes = new StagedDeletes(client, Duration.ofSeconds(5), 10_000);

			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int first = t * each;
				done.add(pool.submit(() -> {
					for (int i = first; i < first + each; i++) {
						deletes.delete(new BlobRef(bucket, "staging/t/u/" + i, 3, "image/png"));
					}
				}));
			}
			for (Future<?> future : done) {
				future.get();
			}
		}
		finally {
			pool.shutdownNow();
		}

		assertThat(client.listObjectsV2(list -> list.bucket(bucket).prefix("staging/")).keyCount()).isZero();
		assertThat(requests).doesNotContainKey("DeleteObject");
		// 16 threads asking at once: while one request is out the others queue and go out together
		assertThat(requests.get("DeleteObjects").get()).isLessThan(threads * each / 2);
	}

	/**
	 * Storage cannot be reached for deletes (the client fails them before they are sent) until the
	 * test lets them through; the object is in place all along, so whenever the retry comes it has
	 * something to delete, however slow the machine.
	 */
	@Test
	void aRefusedDeleteIsRetriedUntilStorageAnswers() throws Exception {
		String bucket = "refused-deletes";
		s3.withBucket(bucket);
		AtomicBoolean refusing = new AtomicBoolean(true);
		AtomicInteger refused = new AtomicInteger();
		S3Client client = s3.newWorkerClientBuilder()
			.overrideConfiguration(config -> config.addExecutionInterceptor(new ExecutionInterceptor() {
				@Override
				public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
					if (context.request() instanceof DeleteObjectsRequest && refusing.get()) {
						refused.incrementAndGet();
						throw SdkClientException.create("storage is unreachable for deletes");
					}
				}
			}))
			.build();
		client.putObject(put -> put.bucket(bucket).key("staging/t/u/0"), RequestBody.fromBytes(new byte[] { 1, 2, 3 }));
		deletes = new StagedDeletes(client, Duration.ofMillis(200), 10);
		BlobRef staged = new BlobRef(bucket, "staging/t/u/0", 3, "image/png");

		deletes.delete(staged);
		assertThat(refused).hasPositiveValue();
		// tried again, and refused again, without being asked: the object is still there
		Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> refused.get() >= 3);
		assertThat(client.listObjectsV2(list -> list.bucket(bucket).prefix("staging/")).keyCount()).isOne();

		refusing.set(false);
		// (pending() leaves out a retry in flight, so it is read once the object is gone)
		Awaitility.await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
			assertThat(client.listObjectsV2(list -> list.bucket(bucket).prefix("staging/")).keyCount()).isZero();
			assertThat(deletes.pending()).isZero();
		});
	}

	@Test
	void atMostMaxPendingDeletesWait() throws Exception {
		deletes = new StagedDeletes(s3.newWorkerClient(), Duration.ofHours(1), 2);

		for (int i = 0; i < 5; i++) {
			deletes.delete(new BlobRef("no-such-bucket", "staging/t/u/" + i, 3, "image/png"));
		}

		assertThat(deletes.pending()).isEqualTo(2);
	}

}
