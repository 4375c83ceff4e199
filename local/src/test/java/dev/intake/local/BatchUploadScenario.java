package dev.intake.local;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import dev.intake.local.IntakeClient.Upload;
import dev.intake.testsupport.TestImages;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The foundation scenario, independent of how Intake was started: a JPEG, a PNG and a GIF in one
 * multipart batch come back as three stored originals whose bytes and sha256 match what was sent,
 * whether read through their image URLs or straight from S3.
 */
final class BatchUploadScenario {

	private BatchUploadScenario() {
	}

	/** Runs the scenario and returns the batch id. */
	static String jpegPngAndGifInOneBatch(IntakeClient client, StoredObjects storage) throws Exception {
		List<Upload> uploads = List.of(new Upload("photo.jpg", "image/jpeg", TestImages.unique().jpeg(320, 240)),
				new Upload("logo.png", "image/png", TestImages.unique().png(64, 48)),
				new Upload("anim.gif", "image/gif", TestImages.unique().gif(33, 17)));

		IntakeClient.Answer submitted = client.submitWithFiles(uploads, List.of(), null);

		assertThat(submitted.status()).isEqualTo(200);
		assertThat(submitted.body().get("code").asInt()).isEqualTo(200);
		assertThat(submitted.body().get("message").asString()).isEqualTo("success");
		JsonNode data = submitted.body().get("data");
		assertThat(data.get("total_count").asInt()).isEqualTo(3);
		assertThat(data.get("status").asString()).isEqualTo("TASK_PENDING");
		assertThat(data.get("message").asString())
			.isEqualTo("Batch file upload task submitted, please use batch id to query upload progress.");
		String batchId = data.get("batch_id").asString();

		JsonNode done = client.awaitCompletion(batchId, Duration.ofMinutes(3));

		assertThat(done.get("batch_id").asString()).isEqualTo(batchId);
		assertThat(done.get("total_count").asInt()).isEqualTo(3);
		assertThat(done.get("processed_count").asInt()).isEqualTo(3);
		assertThat(done.get("success_count").asInt()).isEqualTo(3);
		assertThat(done.get("failed_count").asInt()).isEqualTo(0);
		JsonNode results = done.get("results");
		assertThat(results.size()).isEqualTo(3);
		for (int i = 0; i < uploads.size(); i++) {
			JsonNode result = results.get(i);
			Upload sent = uploads.get(i);
			assertThat(result.get("index").asInt()).isEqualTo(i);
			assertThat(result.get("image_name").asString()).isEqualTo(sent.filename());
			assertThat(result.get("status").asString()).isEqualTo("TASK_SUCCEEDED");
			assertThat(result.has("error_message")).isFalse();

			var served = client.get(result.get("image_url").asString());
			assertThat(served.statusCode()).isEqualTo(200);
			assertThat(served.body()).isEqualTo(sent.bytes());
			assertThat(served.headers().firstValue("Content-Type")).hasValue(sent.contentType());

			String sha256 = sha256(sent.bytes());
			String key = result.get("image_url").asString().replaceFirst("^.*/i/", "");
			assertThat(key).startsWith("images/" + LocalIntake.TENANT + "/").contains(sha256);
			var stored = storage.original(key);
			assertThat(stored.asByteArray()).isEqualTo(sent.bytes());
			assertThat(sha256(stored.asByteArray())).isEqualTo(sha256);
			assertThat(stored.response().contentType()).isEqualTo(sent.contentType());
		}
		return batchId;
	}

	static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
