package dev.intake.local;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.intake.contracts.ObjectKeys;
import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sweeper's walk of {@code uploads/} over the whole stack: an upload no item keeps is deleted
 * once it is older than the staged max age, the upload a stored image is served from is kept
 * because the content index names it. The max age and interval are short for this stack only.
 */
class UploadSweepEndToEndTest {

	@TempDir
	static Path dataDir;

	static LocalIntake intake;

	static IntakeClient client;

	static StoredObjects storage;

	@BeforeAll
	static void startIntake() throws Exception {
		intake = LocalStacks.start(dataDir, "--intake.worker.sweeper.staged-max-age=20s",
				"--intake.worker.sweeper.interval=1s");
		client = LocalStacks.clientOf(intake);
		storage = new StoredObjects(intake.s3());
	}

	@AfterAll
	static void stopIntake() {
		if (storage != null) {
			storage.close();
		}
		if (intake != null) {
			intake.close();
		}
	}

	@Test
	void anOrphanUploadIsSweptAndTheUploadOfAStoredImageIsKept() throws Exception {
		byte[] png = TestImages.unique().png(64, 48);
		var submitted = client.submitWithFiles(List.of(new IntakeClient.Upload("kept.png", "image/png", png)),
				List.of(), null);
		assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(200);
		var done = client.awaitCompletion(submitted.body().get("data").get("batch_id").asString(),
				Duration.ofMinutes(3));
		assertThat(done.get("success_count").asInt()).isEqualTo(1);
		String imageUrl = done.get("results").get(0).get("image_url").asString();
		List<String> stored = storage.keys(ObjectKeys.UPLOADS_PREFIX);
		assertThat(stored).hasSize(1);

		// what requests that died after writing their uploads leave: one in an hour long past, one in
		// the current hour (at or after the stored upload's, so the sweep that deletes it has
		// already decided the stored upload, in the same list page or an earlier one)
		String oldOrphan = ObjectKeys.upload(Instant.now().minus(Duration.ofHours(2)), LocalIntake.TENANT,
				"died-before-queueing", 0);
		String orphan = ObjectKeys.upload(Instant.now(), LocalIntake.TENANT, "died-too", 0);
		storage.put(oldOrphan, TestImages.unique().png(8, 8));
		storage.put(orphan, TestImages.unique().png(8, 8));
		assertThat(storage.keys(ObjectKeys.UPLOADS_PREFIX)).contains(oldOrphan, orphan);

		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(
					() -> assertThat(storage.keys(ObjectKeys.UPLOADS_PREFIX)).doesNotContain(oldOrphan, orphan));

		assertThat(storage.keys(ObjectKeys.UPLOADS_PREFIX)).containsExactlyElementsOf(stored);
		var served = client.get(imageUrl);
		assertThat(served.statusCode()).isEqualTo(200);
		assertThat(served.body()).isEqualTo(png);
	}

}
