package dev.intake.api.submission.multipart;

import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.upload.UploadForm.AcceptedUpload;
import dev.intake.api.submission.upload.UploadForm;
import dev.intake.api.submission.upload.UploadProperties;
import dev.intake.api.submission.zip.ArchiveThreads;
import dev.intake.api.submission.zip.ZipExpansion;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.intake.api.TestServers;
import dev.intake.api.error.ApiProblem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import org.springframework.core.ResolvableType;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.codec.multipart.PartEventHttpMessageReader;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.util.unit.DataSize;

import software.amazon.awssdk.services.s3.S3AsyncClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for the multipart upload path: a request body read by the multipart reader with
 * the service's limits and then by {@link MultipartUpload}, and a ZIP part expanded by
 * {@link ZipExpansion} with its central-directory check, staging into the test S3 store. Every
 * input must end in an accepted upload or in an error the API answers with a 4xx
 * ({@link ApiProblem}, or the reader's {@link DecodingException} /
 * {@link DataBufferLimitException}), within the time limit; whatever was staged is discarded.
 * Seeds in {@code MultipartUploadFuzzTestInputs/<method>/}.
 */
class MultipartUploadFuzzTest {

	static final String BOUNDARY = "fuzz-boundary";

	private static final UploadProperties LIMITS = new UploadProperties(5, DataSize.ofKilobytes(64), 2,
			Duration.ofSeconds(5), DataSize.ofMegabytes(1), DataSize.ofKilobytes(4), DataSize.ofKilobytes(1),
			DataSize.ofMegabytes(1), DataSize.ofMegabytes(1));

	private static final S3AsyncClient s3 = TestServers.s3Async();

	private static final ArchiveThreads threads = new ArchiveThreads(1, 4, 64 * 1024);

	private static final UploadSlots slots = new UploadSlots(2);

	private static final HttpMessageReader<PartEvent> reader = reader();

	private static final AtomicInteger uploads = new AtomicInteger();

	@AfterAll
	static void close() {
		threads.dispose();
		s3.close();
	}

	@FuzzTest(maxDuration = "60s")
	@Timeout(30)
	void multipartBody(byte[] body) {
		MockServerHttpRequest request = MockServerHttpRequest.post("/v1/batch-upload")
			.contentType(MediaType.parseMediaType("multipart/form-data; boundary=" + BOUNDARY))
			.body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
		upload(reader.read(ResolvableType.forClass(PartEvent.class), request, Map.of()));
	}

	@FuzzTest(maxDuration = "60s")
	@Timeout(30)
	void zipArchive(byte[] archive) {
		upload(FilePartEvent
			.create("files", "set.zip", MediaType.APPLICATION_OCTET_STREAM,
					Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(archive)))
			.cast(PartEvent.class));
	}

	private static void upload(Flux<PartEvent> parts) {
		MultipartUpload upload = new MultipartUpload("fuzz", "upload-" + uploads.incrementAndGet(), "fuzz-batch",
				LIMITS, new StagingArea(s3, TestServers.BUCKET), slots, threads);
		try {
			UploadForm.AcceptedUpload accepted = upload.read(parts).block(Duration.ofSeconds(20));
			assertThat(accepted).isNotNull();
		}
		catch (ApiProblem | DecodingException | DataBufferLimitException answered) {
			// a 4xx in the API's own error shape
		}
		finally {
			upload.discard().block(Duration.ofSeconds(20));
		}
	}

	private static HttpMessageReader<PartEvent> reader() {
		ServerCodecConfigurer codecs = ServerCodecConfigurer.create();
		new MultipartLimits(LIMITS).customize(codecs);
		@SuppressWarnings("unchecked")
		HttpMessageReader<PartEvent> partEvents = codecs.getReaders()
			.stream()
			.filter(PartEventHttpMessageReader.class::isInstance)
			.map(reader -> (HttpMessageReader<PartEvent>) reader)
			.findFirst()
			.orElseThrow();
		return partEvents;
	}

}
