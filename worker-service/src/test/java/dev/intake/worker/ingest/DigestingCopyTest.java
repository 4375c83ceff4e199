package dev.intake.worker.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DigestingCopyTest {

	@Test
	void copiesAndHashesKnownBytes() throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		DigestingCopy.Result result = DigestingCopy.copy(stream("abc"), out, 10);
		assertThat(result.complete()).isTrue();
		assertThat(result.size()).isEqualTo(3);
		assertThat(result.md5()).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
		assertThat(result.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
	}

	@Test
	void hashesTheEmptyStream() throws Exception {
		DigestingCopy.Result result = DigestingCopy.copy(stream(""), new ByteArrayOutputStream(), 10);
		assertThat(result.md5()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
		assertThat(result.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	}

	@Test
	void hashesAcrossManyBuffers() throws Exception {
		// one million 'a': the FIPS 180-2 long test vector, read in 64 KiB chunks
		byte[] million = "a".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII);
		DigestingCopy.Result result = DigestingCopy.copy(new ByteArrayInputStream(million),
				OutputStreamSink.INSTANCE, 1_000_000);
		assertThat(result.size()).isEqualTo(1_000_000);
		assertThat(result.sha256()).isEqualTo("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
		assertThat(result.md5()).isEqualTo("7707d6ae4e027c70eea2a935c2296f21");
	}

	@Test
	void stopsOnceTheLimitIsPassed() throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] big = new byte[3 * DigestingCopy.BUFFER_SIZE];
		DigestingCopy.Result result = DigestingCopy.copy(new ByteArrayInputStream(big), out,
				DigestingCopy.BUFFER_SIZE + 10);
		assertThat(result.complete()).isFalse();
		assertThat(result.size()).isGreaterThan(DigestingCopy.BUFFER_SIZE + 10).isLessThan(big.length);
		assertThat(out.size()).isLessThanOrEqualTo(DigestingCopy.BUFFER_SIZE);
	}

	@Test
	void acceptsExactlyTheLimit() throws Exception {
		DigestingCopy.Result result = DigestingCopy.copy(stream("12345"), new ByteArrayOutputStream(), 5);
		assertThat(result.complete()).isTrue();
		assertThat(result.size()).isEqualTo(5);
	}

	private static InputStream stream(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
	}

	private static final class OutputStreamSink extends java.io.OutputStream {

		static final OutputStreamSink INSTANCE = new OutputStreamSink();

		@Override
		public void write(int b) {
		}

		@Override
		public void write(byte[] b, int off, int len) {
		}

	}

}
