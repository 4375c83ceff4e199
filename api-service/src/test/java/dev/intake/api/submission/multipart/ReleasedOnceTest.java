package dev.intake.api.submission.multipart;

import java.time.Duration;

import dev.intake.api.TestServers;
import dev.intake.api.error.ApiProblem;
import dev.intake.api.staging.MemoryStagingStore;
import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.upload.UploadForm.AcceptedUpload;
import dev.intake.api.submission.zip.ArchiveThreads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.codec.ServerCodecConfigurer;

import software.amazon.awssdk.services.s3.S3AsyncClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The batch upload's form releases every buffer of its body exactly once, also when the body is
 * cut off in the middle of a file or an archive (as the body deadline does) and when an archive is
 * refused ({@link NetworkReads}).
 */
@Timeout(60)
class ReleasedOnceTest {

	private static ArchiveThreads threads;

	@BeforeAll
	static void start() {
		threads = new ArchiveThreads(1, 4, 64 * 1024);
	}

	@AfterAll
	static void stop() {
		threads.dispose();
	}

	@Test
	void aBodyCutOffInAFileReleasesEachBufferOnce() {
		NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", "a.png", 60_000), 1500);
		assertThat(catchThrowable(() -> upload(reads.cutOffBody()))).isInstanceOf(ApiProblem.class);
		reads.assertReleasedOnce();
	}

	@Test
	void aBodyCutOffInAnArchiveReleasesEachBufferOnce() {
		NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", "set.zip", 60_000), 1500);
		assertThat(catchThrowable(() -> upload(reads.cutOffBody()))).isInstanceOf(ApiProblem.class);
		reads.assertReleasedOnce();
	}

	@Test
	void aBodyArrivingOverTimeAndCutOffReleasesEachBufferOnce() {
		for (String file : new String[] { "a.png", "set.zip" }) {
			NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", file, 20_000)
					+ NetworkReads.filePart("files", "b-" + file, 60_000), 1500);
			assertThat(catchThrowable(() -> upload(Flux.concat(reads.body().delayElements(Duration.ofMillis(1)),
					Flux.error(NetworkReads.cutOff()))))).isInstanceOf(ApiProblem.class);
			reads.assertReleasedOnce();
		}
	}

	@Test
	void aRefusedArchiveReleasesEachBufferOnce() {
		NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", "set.zip", 60_000) + NetworkReads.end(),
				1500);
		assertThat(catchThrowable(() -> upload(reads.body()))).isInstanceOf(ApiProblem.class)
			.hasMessageContaining("ZIP");
		reads.assertReleasedOnce();
	}

	@Test
	void aWholeBodyReleasesEachBufferOnce() {
		NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", "a.png", 60_000) + NetworkReads.end(),
				1500);
		assertThat(upload(reads.body()).items()).hasSize(1);
		reads.assertReleasedOnce();
	}

	@Test
	void aBodyCutOffWhileStagingOnS3ReleasesEachBufferOnce() {
		S3AsyncClient s3 = TestServers.s3Async();
		try {
			s3.createBucket(create -> create.bucket("released-once")).exceptionally(ex -> null).join();
			for (String file : new String[] { "a.png", "set.zip" }) {
				NetworkReads reads = new NetworkReads(NetworkReads.filePart("files", file, 20_000)
						+ NetworkReads.filePart("files", "b-" + file, 60_000), 1500);
				assertThat(catchThrowable(() -> upload(Flux.concat(reads.body().delayElements(Duration.ofMillis(1)),
						Flux.error(NetworkReads.cutOff())), new StagingArea(s3, "released-once", FuzzedUploads.RETRY_BUFFERS))))
					.isInstanceOf(ApiProblem.class);
				reads.assertReleasedOnce();
			}
		}
		finally {
			s3.close();
		}
	}

	private static AcceptedUpload upload(Flux<DataBuffer> body) {
		return upload(body, new StagingArea(new MemoryStagingStore("released-once"), FuzzedUploads.RETRY_BUFFERS));
	}

	private static AcceptedUpload upload(Flux<DataBuffer> body, StagingArea staging) {
		ServerCodecConfigurer codecs = ServerCodecConfigurer.create();
		new MultipartLimits(FuzzedUploads.LIMITS).customize(codecs);
		MultipartUpload upload = new MultipartUpload("t", "u", "b", FuzzedUploads.LIMITS, staging, new UploadSlots(2),
				threads);
		try {
			return upload.read(NetworkReads.events(NetworkReads.formRequest("/v1/batch-upload/submit-with-files", body),
					NetworkReads.reader(codecs)))
				.block(Duration.ofSeconds(20));
		}
		finally {
			upload.discard().block(Duration.ofSeconds(20));
		}
	}

}
