package dev.intake.worker.sweep;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import dev.intake.testsupport.S3ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;

/** The sweeper against a real S3 server (S3Proxy); its clock is moved instead of waiting. */
class StagingSweeperTest {

	private static final String BUCKET = "sweep";

	private static S3ProxyFixture s3;

	private static S3Client client;

	@BeforeAll
	static void start() throws Exception {
		s3 = S3ProxyFixture.start().withBucket(BUCKET);
		client = s3.newWorkerClient();
	}

	@AfterAll
	static void stop() throws Exception {
		client.close();
		s3.close();
	}

	@Test
	void deletesOnlyStagedObjectsOlderThanTheirMaxAgeAndAbortsOldMultipartUploads() {
		s3.put(BUCKET, "staging/acme/u1/0", new byte[] { 1 });
		s3.put(BUCKET, "staging/acme/u1/1", new byte[] { 2 });
		s3.put(BUCKET, "images/acme/abc.png", new byte[] { 3 });
		String uploadId = client.createMultipartUpload(b -> b.bucket(BUCKET).key("staging/acme/u2/0")).uploadId();
		client.uploadPart(b -> b.bucket(BUCKET).key("staging/acme/u2/0").uploadId(uploadId).partNumber(1),
				RequestBody.fromBytes(new byte[] { 4 }));

		StagingSweeper.Swept early = sweeper(Duration.ofHours(1)).sweep();

		assertThat(early).isEqualTo(new StagingSweeper.Swept(0, 0));
		assertThat(s3.exists(BUCKET, "staging/acme/u1/0")).isTrue();
		assertThat(client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).hasSize(1);

		StagingSweeper.Swept late = sweeper(Duration.ofDays(8)).sweep();

		assertThat(late).isEqualTo(new StagingSweeper.Swept(2, 1));
		assertThat(s3.exists(BUCKET, "staging/acme/u1/0")).isFalse();
		assertThat(s3.exists(BUCKET, "staging/acme/u1/1")).isFalse();
		assertThat(s3.exists(BUCKET, "images/acme/abc.png")).isTrue();
		assertThat(client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();

		// a second instance sweeping the same bucket finds nothing left and fails nothing
		assertThat(sweeper(Duration.ofDays(8)).sweep()).isEqualTo(new StagingSweeper.Swept(0, 0));
	}

	/** A sweeper whose clock runs {@code ahead} of the S3 server's (7 days staged, 1 day multipart). */
	private static StagingSweeper sweeper(Duration ahead) {
		var props = new SweeperProperties(true, Duration.ofHours(1), Duration.ofDays(7), Duration.ofDays(1), 100);
		return new StagingSweeper(client, BUCKET, props, Clock.fixed(Instant.now().plus(ahead), ZoneOffset.UTC));
	}

}
