package dev.intake.worker.ingest;

import java.time.Duration;

import dev.intake.contracts.BlobRef;
import dev.intake.testsupport.S3ProxyFixture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a real S3 server: a staged object whose delete storage refuses is deleted once storage
 * answers again, without anyone asking twice.
 */
@Timeout(60)
class StagedDeletesTest {

	private static final String BUCKET = "staged-deletes";

	private S3ProxyFixture s3;

	private StagedDeletes deletes;

	@AfterEach
	void tearDown() throws Exception {
		deletes.close();
		s3.close();
	}

	@Test
	void aRefusedDeleteIsRetriedUntilStorageAnswers() throws Exception {
		s3 = S3ProxyFixture.start();
		S3Client client = s3.newWorkerClient();
		// long enough that the bucket and the object both exist before the first retry
		deletes = new StagedDeletes(client, Duration.ofSeconds(5), 10);
		BlobRef staged = new BlobRef(BUCKET, "staging/t/u/0", 3, "image/png");

		// the bucket does not exist yet: storage refuses the delete
		deletes.delete(staged);
		assertThat(deletes.pending()).isEqualTo(1);

		s3.withBucket(BUCKET);
		client.putObject(put -> put.bucket(BUCKET).key("staging/t/u/0"), RequestBody.fromBytes(new byte[] { 1, 2, 3 }));
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> deletes.pending() == 0);

		assertThat(client.listObjectsV2(list -> list.bucket(BUCKET).prefix("staging/")).keyCount()).isZero();
	}

	@Test
	void atMostMaxPendingDeletesWait() throws Exception {
		s3 = S3ProxyFixture.start();
		deletes = new StagedDeletes(s3.newWorkerClient(), Duration.ofHours(1), 2);

		for (int i = 0; i < 5; i++) {
			deletes.delete(new BlobRef("no-such-bucket", "staging/t/u/" + i, 3, "image/png"));
		}

		assertThat(deletes.pending()).isEqualTo(2);
	}

}
