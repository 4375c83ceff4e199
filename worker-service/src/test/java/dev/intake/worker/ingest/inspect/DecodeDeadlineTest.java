package dev.intake.worker.ingest.inspect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemSource;
import dev.intake.testsupport.TestImages;
import dev.intake.worker.imaging.DecodePool;
import dev.intake.worker.imaging.DecodeTimeoutException;
import dev.intake.worker.imaging.DimensionReader;
import dev.intake.worker.imaging.PixelLimit;
import dev.intake.worker.imaging.rendition.RenditionMaker;
import dev.intake.worker.imaging.rendition.RenditionSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A decode the pool gives up on (its deadline passed, its thread interrupted) fails its item with
 * a result saying so; the inspection itself returns normally, so the job publishes that result
 * instead of failing, and the pool's slot is free for the next item.
 */
@Timeout(30)
class DecodeDeadlineTest {

	@TempDir
	Path dir;

	@Test
	void aDecodePastItsDeadlineFailsTheItemNotTheJob() throws Exception {
		// no 12-megapixel image decodes and scales within a millisecond
		try (DecodePool pool = new DecodePool(1, Duration.ofMillis(1))) {
			ImageInspector inspector = new ImageInspector(new DimensionReader(), new PixelLimit(50_000_000, 16384), 100,
					pool, new RenditionMaker(0.8f), List.of(new RenditionSpec("large", 2000)));
			Path file = Files.write(dir.resolve("big.png"), TestImages.png(4000, 3000));
			IngestImage job = new IngestImage("acme", "batch-1", "acme/batch-1/0", 0, "big.png",
					new ItemSource.Staged(null, "big.png"), 1);

			Inspection verdict = inspector.inspect(job, file, Instant.parse("2026-01-06T10:00:00Z"));

			assertThat(verdict).isInstanceOfSatisfying(Inspection.Refused.class, refused -> {
				assertThat(refused.failure().code()).isEqualTo("CORRUPT_IMAGE");
				assertThat(refused.failure().message()).contains("could not be read within");
			});
			// the slot is free: the next task gets it (a stuck slot would leave it waiting until the test's timeout);
			// on a busy machine a 1 ms deadline can pass before the task's thread even starts, so it is tried until it runs
			AtomicBoolean ran = new AtomicBoolean();
			for (int attempt = 0; attempt < 1000 && !ran.get(); attempt++) {
				try {
					pool.run(watch -> ran.getAndSet(true));
				}
				catch (DecodeTimeoutException slowMachine) {
					// given its slot, but the deadline passed before or while it ran
				}
			}
			assertThat(ran).isTrue();
		}
	}

}
