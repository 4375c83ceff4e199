package dev.intake.api.submission.multipart;

import dev.intake.api.staging.MemoryStagingStore;
import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.multipart.FuzzedUploads.Outcome;
import dev.intake.api.submission.multipart.FuzzedUploads.Refused;
import dev.intake.api.submission.upload.UploadForm.AcceptedUpload;
import dev.intake.api.submission.zip.ArchiveThreads;
import dev.intake.api.submission.zip.ZipExpansion;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.ItemSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.codec.multipart.PartEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fuzz targets for the multipart upload path: a request body read by the multipart reader with
 * the service's limits and then by {@link MultipartUpload}, and a ZIP part expanded by
 * {@link ZipExpansion} with its central-directory check. They stage into memory
 * ({@link MemoryStagingStore}), so an input runs in milliseconds; {@link MultipartUploadCorpusTest}
 * replays the same inputs staging into S3. Every input must end in an accepted upload whose items
 * are stored with their sizes, or in an error the API answers with a 4xx ({@link ApiProblem}, or
 * the reader's {@link DecodingException} / {@link DataBufferLimitException}), within the time
 * limit; once the upload is discarded nothing it staged is left and its upload slots are free.
 * Seeds in {@code MultipartUploadFuzzTestInputs/<method>/}.
 */
class MultipartUploadFuzzTest {

	private static final MemoryStagingStore store = new MemoryStagingStore("fuzz-staging");

	private static final StagingArea staging = new StagingArea(store, FuzzedUploads.RETRY_BUFFERS);

	private static final ArchiveThreads threads = new ArchiveThreads(1, 4, 64 * 1024);

	private static final UploadSlots slots = new UploadSlots(2);

	private static final AtomicInteger uploads = new AtomicInteger();

	@AfterAll
	static void close() {
		threads.dispose();
	}

	@FuzzTest(maxDuration = "60s")
	@Timeout(30)
	void multipartBody(byte[] body) {
		upload(FuzzedUploads.body(body));
	}

	@FuzzTest(maxDuration = "60s")
	@Timeout(30)
	void zipArchive(byte[] archive) {
		upload(FuzzedUploads.zipPart(archive));
	}

	private static void upload(Flux<PartEvent> parts) {
		Outcome outcome = FuzzedUploads.upload("upload-" + uploads.incrementAndGet(), parts, staging, slots, threads,
				MultipartUploadFuzzTest::storedWithSizes);
		if (outcome instanceof Refused refused) {
			assertThat(refused.status()).as(refused.message()).isBetween(400, 499);
		}
		assertThat(store.objects()).as("left staged after the upload was discarded").isEmpty();
		// a slot is given back by the upload's completion, possibly on an archive thread
		await().pollInSameThread()
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(1))
			.atMost(Duration.ofSeconds(20))
			.until(() -> slots.inUse() == 0);
	}

	private static void storedWithSizes(AcceptedUpload accepted) {
		assertThat(accepted.items()).allSatisfy(item -> {
			ItemSource.Staged source = (ItemSource.Staged) item.source();
			MemoryStagingStore.StoredObject object = store.objects().get(source.blob().key());
			assertThat(object).as(source.blob().key()).isNotNull();
			assertThat((long) object.bytes().length).isEqualTo(source.blob().size());
		});
	}

}
