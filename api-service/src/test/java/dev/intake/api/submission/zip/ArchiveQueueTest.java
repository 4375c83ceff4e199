package dev.intake.api.submission.zip;

import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.multipart.MultipartUpload;
import dev.intake.api.submission.upload.UploadProperties;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import dev.intake.api.TestServers;
import dev.intake.api.error.ApiProblem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.util.unit.DataSize;

import software.amazon.awssdk.services.s3.S3AsyncClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** An archive that finds every expanding thread busy and the queue behind them full is a 503. */
@Timeout(60)
class ArchiveQueueTest {

	private final ArchiveThreads threads = new ArchiveThreads(1, 1, 1024 * 1024);

	private final CountDownLatch release = new CountDownLatch(1);

	private final CountDownLatch running = new CountDownLatch(1);

	private final S3AsyncClient s3 = TestServers.s3Async();

	@AfterEach
	void tearDown() {
		release.countDown();
		threads.dispose();
		s3.close();
	}

	@Test
	void aFullArchiveQueueIsBusyNotAFailure() throws InterruptedException {
		// one archive expanding, one waiting: the queue of one is full
		threads.expanders().schedule(this::holdThread);
		running.await();
		threads.expanders().schedule(this::holdThread);
		UploadProperties limits = new UploadProperties(300, DataSize.ofMegabytes(10), 4, Duration.ofSeconds(5),
				DataSize.ofMegabytes(256), DataSize.ofKilobytes(64), DataSize.ofKilobytes(16), DataSize.ofMegabytes(32), DataSize.ofMegabytes(32), 4);
		MultipartUpload upload = new MultipartUpload("local", "queue-test", "queue-batch", limits,
				new StagingArea(s3, "unused"), new UploadSlots(4), threads);
		byte[] archive = SubmitZipTest.zip(out -> SubmitZipTest.stored(out, "a.png", new byte[] { 1, 2, 3 }));
		Flux<PartEvent> parts = FilePartEvent
			.create("files", "set.zip", MediaType.APPLICATION_OCTET_STREAM,
					Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(archive)))
			.cast(PartEvent.class);

		ApiProblem problem = catchThrowableOfType(ApiProblem.class,
				() -> upload.read(parts).block(Duration.ofSeconds(30)));

		assertThat(problem.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(problem.getMessage()).isEqualTo("The service is busy, please retry.");
		assertThat(problem.headers().getFirst("Retry-After")).isEqualTo("1");
	}

	private void holdThread() {
		running.countDown();
		try {
			release.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
