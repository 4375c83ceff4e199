package dev.intake.api.submission.zip;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for the ZIP central-directory check: the tail kept while an archive streams holds
 * exactly its last bytes, and reading the directory from it either finds the entries or says it
 * cannot (null), never throws. Seeds in {@code CentralDirectoryFuzzTestInputs/read/}.
 */
class CentralDirectoryFuzzTest {

	@FuzzTest(maxDuration = "60s")
	@Timeout(10)
	void read(FuzzedDataProvider data) throws IOException {
		int capacity = data.consumeInt(1, 1 << 16);
		int piece = data.consumeInt(1, 4096);
		byte[] archive = data.consumeRemainingAsBytes();
		CentralDirectory.Tail tail = new CentralDirectory.Tail(new ByteArrayInputStream(archive), capacity);
		byte[] buffer = new byte[piece];
		while (tail.read(buffer, 0, buffer.length) >= 0) {
			// read to the end as the expansion does
		}
		byte[] last = tail.last();
		assertThat(last).isEqualTo(Arrays.copyOfRange(archive, Math.max(0, archive.length - capacity), archive.length));
		List<CentralDirectory.Entry> entries = CentralDirectory.read(last);
		if (entries != null) {
			assertThat(entries).allSatisfy(entry -> assertThat(entry.name()).isNotNull());
		}
	}

}
