package dev.intake.api.assets;

import java.time.Duration;

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
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The single-file form releases every buffer of its body exactly once, also when the body is cut
 * off in the middle of the file (as the body deadline does) and when other parts are dropped.
 */
@Timeout(60)
class FileFormReleasedOnceTest {

	private static final UploadProperties LIMITS = new UploadProperties(5, DataSize.ofKilobytes(64), 2,
			Duration.ofSeconds(5), DataSize.ofMegabytes(1), DataSize.ofKilobytes(4), DataSize.ofKilobytes(1),
			DataSize.ofMegabytes(1), DataSize.ofMegabytes(1), 1);

	@Test
	void aBodyCutOffInTheFileReleasesEachBufferOnce() {
		NetworkReads reads = new NetworkReads(NetworkReads.filePart("file", "a.png", 60_000), 1500);
		assertThat(catchThrowable(() -> read(reads.cutOffBody()))).isNotNull();
		reads.assertReleasedOnce();
	}

	@Test
	void aWholeFormReleasesEachBufferOnce() {
		NetworkReads reads = new NetworkReads(NetworkReads.filePart("file", "a.png", 60_000)
				+ NetworkReads.filePart("other", "b.png", 20_000) + NetworkReads.end(), 1500);
		assertThat(read(reads.body()).size()).isEqualTo(60_000);
		reads.assertReleasedOnce();
	}

	@Test
	void aTextFieldOverItsLimitReleasesEachBufferOnce() {
		NetworkReads reads = new NetworkReads("--" + NetworkReads.BOUNDARY
				+ "\r\nContent-Disposition: form-data; name=\"category_id\"\r\n\r\n" + "a".repeat(70_000) + "\r\n"
				+ NetworkReads.filePart("file", "a.png", 20_000) + NetworkReads.end(), 1500);
		assertThat(catchThrowable(() -> read(reads.body()))).isNotNull();
		reads.assertReleasedOnce();
	}

	private static FileForm read(Flux<DataBuffer> body) {
		ServerCodecConfigurer codecs = ServerCodecConfigurer.create();
		new MultipartLimits(LIMITS).customize(codecs);
		StagingArea staging = new StagingArea(new MemoryStagingStore("released-once"),
				new StagingProperties(DataSize.ofKilobytes(1), DataSize.ofKilobytes(64)));
		FileForm form = new FileForm("file", FormTenant.of("t"), "u", LIMITS, staging, new UploadSlots(2));
		try {
			return form.read(NetworkReads.events(NetworkReads.formRequest("/upload", body), NetworkReads.reader(codecs)))
				.block(Duration.ofSeconds(20));
		}
		finally {
			form.discard().block(Duration.ofSeconds(20));
		}
	}

}
