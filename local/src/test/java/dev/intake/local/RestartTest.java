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
		LocalSettings settings = LocalStacks.settingsIn(dataDir);
		String batchId;
		String before;
		try (LocalIntake intake = LocalIntake.start(settings); var storage = new StoredObjects(intake.s3())) {
			IntakeClient client = LocalStacks.clientOf(intake);
			batchId = BatchUploadScenario.jpegPngAndGifInOneBatch(client, storage);
			before = client.status(batchId).body().toString();
		}

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
