package dev.intake.local;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole pipeline over a real in-JVM Kafka broker and a real S3Proxy, as the README runs it. */
@Order(SharedStack.CLEAN)
class EmbeddedBatchUploadTest {

	@RegisterExtension
	static final SharedStack stack = new SharedStack();

	static LocalIntake intake;

	static IntakeClient client;

	static StoredObjects storage;

	@BeforeAll
	static void startIntake() throws Exception {
		intake = stack.intake();
		client = LocalStacks.clientOf(intake);
		storage = new StoredObjects(intake.s3());
	}

	@AfterAll
	static void stopIntake() {
		if (storage != null) {
			storage.close();
		}
	}

	@Test
	void aJpegPngAndGifAreStoredWithTheBytesThatWereSent() throws Exception {
		BatchUploadScenario.jpegPngAndGifInOneBatch(client, storage);
	}

	@Test
	void eachUploadIsStoredOnceWhereItWasWrittenAndNothingElseIsLeft() throws Exception {
		List<String> before = storage.keys("uploads/");
		BatchUploadScenario.jpegPngAndGifInOneBatch(client, storage);

		await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
			assertThat(storage.keys("staging/")).isEmpty();
			// the three distinct images stay in their uploads, which the origin serves them from
			assertThat(storage.keys("uploads/")).hasSize(before.size() + 3);
		});
	}

	@Test
	void aZipsImagesNameTheirArchiveAndEntryAndComeWithRenditions() throws Exception {
		var zip = new java.io.ByteArrayOutputStream();
		try (var out = new java.util.zip.ZipOutputStream(zip)) {
			for (String entry : new String[] { "set/front.png", "set/back.png" }) {
				out.putNextEntry(new java.util.zip.ZipEntry(entry));
				out.write(TestImages.unique().png(600, 400));
				out.closeEntry();
			}
		}
		var submitted = client.submitWithFiles(
				java.util.List.of(new IntakeClient.Upload("set.zip", "application/zip", zip.toByteArray())),
				java.util.List.of("product-set-1"), null);
		assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(200);
		assertThat(submitted.body().get("data").get("total_count").asInt()).isEqualTo(2);

		var done = client.awaitCompletion(submitted.body().get("data").get("batch_id").asString(), Duration.ofMinutes(3));

		var results = done.get("results");
		assertThat(results.get(0).get("archive").asString()).isEqualTo("set.zip");
		assertThat(results.get(0).get("entry").asString()).isEqualTo("set/front.png");
		assertThat(results.get(1).get("entry").asString()).isEqualTo("set/back.png");
		var thumb = results.get(0).get("image").get("renditions").get(0);
		assertThat(thumb.get("name").asString()).isEqualTo("thumb");
		assertThat(thumb.get("width").asInt()).isEqualTo(256);
		var served = client.get(thumb.get("url").asString());
		assertThat(served.statusCode()).isEqualTo(200);
		assertThat(served.headers().firstValue("Content-Type")).hasValue("image/jpeg");
	}

	@Test
	void everyRequestNeedsTheToken() throws Exception {
		var anonymous = client.send(HttpRequest.newBuilder(URI.create(intake.settings().baseUrl() + "/batch-upload/status/x"))
			.GET()
			.build());
		var wrongToken = new IntakeClient(intake.settings().baseUrl(), "not-the-token").status("x");

		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(anonymous.body().get("code").asInt()).isEqualTo(1001);
		assertThat(wrongToken.status()).isEqualTo(401);
	}

	@Test
	void anUnknownBatchIsA1203() throws Exception {
		var answer = client.status("never-submitted");

		assertThat(answer.status()).isEqualTo(404);
		assertThat(answer.body().get("code").asInt()).isEqualTo(1203);
		assertThat(answer.body().get("message").asString()).isEqualTo("Batch ID does not exist or has expired.");
	}

	@Test
	void aBatchIsReportedRightAfterItsSubmitAnswered() throws Exception {
		for (int i = 0; i < 20; i++) {
			var submitted = client.submitWithFiles(
					java.util.List.of(new IntakeClient.Upload("p.png", "image/png", TestImages.unique().png(8, 8))),
					java.util.List.of(), null);
			String batchId = submitted.body().get("data").get("batch_id").asString();

			var status = client.status(batchId);

			assertThat(status.status()).as("status right after submit").isEqualTo(200);
			assertThat(status.body().get("data").get("total_count").asInt()).isEqualTo(1);
		}
	}

}
