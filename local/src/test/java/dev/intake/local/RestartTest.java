package dev.intake.local;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Data lives under the data directory: a batch submitted before a restart is reported after it. */
class RestartTest {

	@TempDir
	Path dataDir;

	@Test
	void aBatchSurvivesARestart() throws Exception {
		LocalSettings settings;
		String batchId;
		String before;
		try (LocalIntake intake = LocalStacks.start(dataDir); var storage = new StoredObjects(intake.s3())) {
			settings = intake.settings();
			IntakeClient client = LocalStacks.clientOf(intake);
			batchId = BatchUploadScenario.jpegPngAndGifInOneBatch(client, storage);
			before = client.status(batchId).body().toString();
		}

		// on the same ports, as a restart is
		try (LocalIntake intake = LocalIntake.start(settings)) {
			IntakeClient client = LocalStacks.clientOf(intake);
			var after = client.status(batchId);

			assertThat(after.status()).isEqualTo(200);
			assertThat(after.body().toString()).isEqualTo(before);
			String url = after.body().get("data").get("results").get(0).get("image_url").asString();
			assertThat(client.get(url).statusCode()).isEqualTo(200);
		}
	}

}
