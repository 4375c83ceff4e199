package dev.intake.api.compat.fileservice;

import java.time.Duration;
import java.util.Set;

import dev.intake.api.staging.MemoryStagingStore;
import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.StagingProperties;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.multipart.MultipartLimits;
import dev.intake.api.submission.multipart.NetworkReads;
import dev.intake.api.submission.upload.UploadProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The file service's body, as a form or as raw bytes, releases every buffer exactly once, also when
 * it is cut off in the middle of the file (as the body deadline does) and when the file's type is
 * refused.
 */
@Timeout(60)
class FileBodyReleasedOnceTest {

	private static final UploadProperties LIMITS = new UploadProperties(5, DataSize.ofKilobytes(64), 2,
			Duration.ofSeconds(5), DataSize.ofMegabytes(1), DataSize.ofKilobytes(4), DataSize.ofKilobytes(1),
			DataSize.ofMegabytes(1), DataSize.ofMegabytes(1), 1);

	private static final String PNG = "\u0089PNG\r\n\u001a\n";

	@Test
	void aFormCutOffInTheFileReleasesEachBufferOnce() {
		NetworkReads reads = new NetworkReads(form(PNG), 1500);
		assertThat(catchThrowable(() -> store(formRequest(reads.cutOffBody())))).isNotNull();
		reads.assertReleasedOnce();
	}

	@Test
	void aFormWithARefusedTypeReleasesEachBufferOnce() {
		NetworkReads reads = new NetworkReads(form("<html>") + NetworkReads.end(), 1500);
		assertThat(catchThrowable(() -> store(formRequest(reads.body())))).hasMessageContaining("accepted type");
		reads.assertReleasedOnce();
	}

	@Test
	void aWholeFormReleasesEachBufferOnce() {
		NetworkReads reads = new NetworkReads(form(PNG) + NetworkReads.end(), 1500);
		assertThat(store(formRequest(reads.body())).size()).isEqualTo(60_000);
		reads.assertReleasedOnce();
	}

	@Test
	void rawBytesCutOffReleaseEachBufferOnce() {
		NetworkReads reads = new NetworkReads(PNG + "x".repeat(60_000 - PNG.length()), 1500);
		assertThat(catchThrowable(() -> store(rawRequest(reads.cutOffBody())))).isNotNull();
		reads.assertReleasedOnce();
	}

	@Test
	void rawBytesOfARefusedTypeReleaseEachBufferOnce() {
		NetworkReads reads = new NetworkReads("<html>" + "x".repeat(60_000), 1500);
		assertThat(catchThrowable(() -> store(rawRequest(reads.body())))).hasMessageContaining("accepted type");
		reads.assertReleasedOnce();
	}

	/** A form whose file part begins with {@code head} and is 60,000 bytes long. */
	private static String form(String head) {
		String part = NetworkReads.filePart("file", "a.png", 60_000);
		int at = part.indexOf("\r\n\r\n") + 4;
		return part.substring(0, at) + head + part.substring(at + head.length());
	}

	private static ServerHttpRequest formRequest(Flux<DataBuffer> body) {
		return NetworkReads.formRequest("/files", body);
	}

	private static ServerHttpRequest rawRequest(Flux<DataBuffer> body) {
		return MockServerHttpRequest.post("/files").contentType(MediaType.IMAGE_PNG).body(body);
	}

	private static FileBody.Stored store(ServerHttpRequest request) {
		ServerCodecConfigurer codecs = ServerCodecConfigurer.create();
		new MultipartLimits(LIMITS).customize(codecs);
		StagingArea staging = new StagingArea(new MemoryStagingStore("released-once"),
				new StagingProperties(DataSize.ofKilobytes(1), DataSize.ofKilobytes(64)));
		FileBody body = new FileBody(staging, new UploadSlots(2), LIMITS, 10 * 1024 * 1024, Set.of("pdf"),
				NetworkReads.reader(codecs));
		FileBody.Stored stored = body.read(request, "a.png", type -> "files/a." + type.extension())
			.block(Duration.ofSeconds(20));
		stored.discard().block(Duration.ofSeconds(20));
		return stored;
	}

}
