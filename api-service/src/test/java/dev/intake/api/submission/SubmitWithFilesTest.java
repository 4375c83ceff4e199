package dev.intake.api.submission;

import dev.intake.api.publish.RecordingBatchPublisher;
import dev.intake.api.staging.UploadSlots;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.SubmittedItem;
import org.junit.jupiter.api.BeforeEach;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;


import static dev.intake.api.TestServers.bytes;
import static dev.intake.api.TestServers.read;
import static dev.intake.api.TestServers.staged;
import static dev.intake.api.TestServers.deleteStaged;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /v1/batch-upload/submit-with-files} against a real S3 server. */
@ApiServiceTest
@ExtendWith(OutputCaptureExtension.class)
class SubmitWithFilesTest {

	private static final String PATH = "/v1/batch-upload/submit-with-files";

	private static final int MB = 1024 * 1024;

	@LocalServerPort
	int port;

	@Autowired
	RecordingBatchPublisher publisher;

	@Autowired
	UploadSlots slots;

	WebTestClient client;

	@BeforeEach
	void setUp() {
		client = TestServers.client(port);
		publisher.reset();
		deleteStaged();
	}

	@Test
	void stagesFilesAndPublishesOneBatchWhenFieldsComeFirst() {
		byte[] one = bytes(1000, 1);
		byte[] two = bytes(70_000, 2);
		byte[] three = bytes(3, 3);
		// the order Python requests uses: data fields, then files
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("image_names", "hero-image.jpg");
		body.part("image_names", "feature-1.png");
		body.part("image_names", "feature-2.gif");
		body.part("batch_id", "product-launch-2025");
		file(body, "product-1.jpg", one, MediaType.IMAGE_JPEG);
		file(body, "product-2.PNG", two, MediaType.IMAGE_PNG);
		file(body, "product-3.gif", three, MediaType.IMAGE_GIF);

		submit(body).expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{"code":200,"message":"success","data":{"batch_id":"product-launch-2025","total_count":3,
					"message":"Batch file upload task submitted, please use batch id to query upload progress.",
					"status":"TASK_PENDING"}}""", true);

		assertThat(publisher.published()).hasSize(1);
		BatchSubmitted batch = publisher.published().get(0).batch();
		List<IngestImage> jobs = publisher.published().get(0).jobs();
		assertThat(batch.tenant()).isEqualTo("local");
		assertThat(batch.batchId()).isEqualTo("product-launch-2025");
		assertThat(batch.items()).extracting(SubmittedItem::name)
			.containsExactly("hero-image.jpg", "feature-1.png", "feature-2.gif");
		assertThat(jobs).hasSize(3);
		assertThat(jobs).extracting(IngestImage::index).containsExactly(0, 1, 2);
		assertThat(jobs).extracting(IngestImage::itemId)
			.containsExactly("local/product-launch-2025/0", "local/product-launch-2025/1",
					"local/product-launch-2025/2");
		assertThat(jobs).allSatisfy(job -> assertThat(job.attempt()).isEqualTo(1));
		List<ItemSource.Staged> sources = jobs.stream().map(job -> (ItemSource.Staged) job.source()).toList();
		assertThat(sources).extracting(ItemSource.Staged::filename)
			.containsExactly("product-1.jpg", "product-2.PNG", "product-3.gif");
		assertThat(sources).extracting(source -> source.blob().size()).containsExactly(1000L, 70_000L, 3L);
		assertThat(sources).extracting(source -> source.blob().contentType())
			.containsExactly("image/jpeg", "image/png", "image/gif");
		assertThat(sources).allSatisfy(source -> {
			assertThat(source.blob().bucket()).isEqualTo(TestServers.BUCKET);
			assertThat(source.blob().key()).matches("uploads/[0-9]{10}/local/.+");
		});
		assertThat(read(sources.get(0).blob().key())).isEqualTo(one);
		assertThat(read(sources.get(1).blob().key())).isEqualTo(two);
		assertThat(read(sources.get(2).blob().key())).isEqualTo(three);
		assertThat(staged()).hasSize(3);
	}

	@Test
	void acceptsNamesInterleavedWithFilesAndBatchIdLast() {
		// the order Node's form-data uses
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		file(body, "a.jpg", bytes(10, 4), MediaType.IMAGE_JPEG);
		body.part("image_names", "first.jpg");
		file(body, "b.webp", bytes(20, 5), MediaType.APPLICATION_OCTET_STREAM);
		body.part("image_names", "second.webp");
		body.part("batch_id", "node-batch");

		submit(body).expectStatus().isOk().expectBody().jsonPath("$.data.batch_id").isEqualTo("node-batch");

		BatchSubmitted batch = publisher.published().get(0).batch();
		assertThat(batch.items()).extracting(SubmittedItem::name).containsExactly("first.jpg", "second.webp");
		assertThat(staged()).hasSize(2);
	}

	@Test
	void namesItemsByFilenameAndMakesUpABatchIdWhenNoneAreGiven() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		file(body, "photos/cat.jpeg", bytes(10, 6), MediaType.IMAGE_JPEG);

		submit(body).expectStatus().isOk().expectBody().jsonPath("$.data.total_count").isEqualTo(1);

		BatchSubmitted batch = publisher.published().get(0).batch();
		assertThat(batch.batchId()).matches("[a-z0-9]{16}");
		assertThat(batch.items()).extracting(SubmittedItem::name).containsExactly("cat.jpeg");
	}

	@Test
	void stagesAnImageOfExactlyTheLimitInSeveralParts() {
		byte[] tenMegabytes = bytes(10 * MB, 7);
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		file(body, "big.png", tenMegabytes, MediaType.IMAGE_PNG);

		submit(body).expectStatus().isOk();

		ItemSource.Staged source = (ItemSource.Staged) publisher.published().get(0).jobs().get(0).source();
		assertThat(source.blob().size()).isEqualTo(10L * MB);
		assertThat(read(source.blob().key())).isEqualTo(tenMegabytes);
	}

	@Test
	void rejectsAnEmptyFileList() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("batch_id", "empty");

		expectRejected(body, "The upload file list cannot be empty.");
	}

	@Test
	void rejectsNamesThatDoNotMatchTheFiles() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		file(body, "a.jpg", bytes(100, 1), MediaType.IMAGE_JPEG);
		file(body, "b.jpg", bytes(100, 2), MediaType.IMAGE_JPEG);
		body.part("image_names", "only-one.jpg");

		expectRejected(body, "The length of imageNames array must match the length of files array.");
	}

	@Test
	void rejectsAnUnsupportedExtension() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		file(body, "document.pdf", bytes(100, 1), MediaType.APPLICATION_PDF);
		file(body, "b.jpg", bytes(100, 2), MediaType.IMAGE_JPEG);

		expectRejected(body, "The 1st file 'document.pdf' extension 'pdf' is not supported.");
	}

	@Test
	void deletesWhatWasStagedBeforeAnUnsupportedFile() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		file(body, "a.jpg", bytes(100, 1), MediaType.IMAGE_JPEG);
		file(body, "b.jpg", bytes(100, 2), MediaType.IMAGE_JPEG);
		file(body, "notes.txt", bytes(100, 3), MediaType.TEXT_PLAIN);

		expectRejected(body, "The 3rd file 'notes.txt' extension 'txt' is not supported.");
	}

	@Test
	void rejectsAnOversizeImageWithItsRealSize() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		file(body, "small.jpg", bytes(1000, 1), MediaType.IMAGE_JPEG);
		file(body, "large_photo.jpg", bytes(15 * MB, 2), MediaType.IMAGE_JPEG);
		file(body, "after.jpg", bytes(1000, 3), MediaType.IMAGE_JPEG);

		expectRejected(body, "The 2nd image 'large_photo.jpg' size is 15.00MB, exceeds the maximum limit of 10MB.");
	}

	/** What an HTML form sends for a batch id and a callback left blank: as if they were not given. */
	@Test
	void takesEmptyBatchIdAndCallbackFieldsForAbsentOnes() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		file(body, "cat.jpeg", bytes(10, 7), MediaType.IMAGE_JPEG);
		body.part("batch_id", "");
		body.part("callback_url", "");

		submit(body).expectStatus().isOk().expectBody().jsonPath("$.data.callback_secret").doesNotExist();

		BatchSubmitted batch = publisher.published().get(0).batch();
		assertThat(batch.batchId()).matches("[a-z0-9]{16}");
	}

	@Test
	void rejectsAnInvalidBatchId() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		file(body, "a.jpg", bytes(100, 1), MediaType.IMAGE_JPEG);
		body.part("batch_id", "no/slashes please");

		expectRejected(body, "The batch_id must be 1 to 64 characters: letters, digits, '.', '_' or '-' (not '.' or '..' alone).");
	}

	@Test
	void rejectsMoreImagesThanABatchHolds() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		for (int i = 0; i < 301; i++) {
			file(body, "img-" + i + ".png", bytes(8, i), MediaType.IMAGE_PNG);
		}

		expectRejected(body, "The number of images exceeds the maximum of 300 per batch.");
	}

	@Test
	void rejectsARequestThatIsNotMultipart() {
		client.post()
			.uri(PATH)
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"files\":[]}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.json("""
					{"code":1000,"message":"The request must be multipart/form-data with one or more 'files' parts."}""",
					true);
	}

	@Test
	void rejectsAMalformedMultipartBody() {
		client.post()
			.uri(PATH)
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.header("Content-Type", "multipart/form-data; boundary=expected")
			.bodyValue("--other\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.jpg\"\r\n\r\nxx")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"code\":1000,\"message\":\"The multipart/form-data body is malformed.\"}", true);
		assertThat(publisher.published()).isEmpty();
	}

	@Test
	void deletesStagedFilesWhenTheBatchCannotBeQueued() {
		publisher.failWith(new IllegalStateException("broker down"));
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		file(body, "a.jpg", bytes(100, 1), MediaType.IMAGE_JPEG);

		submit(body).expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals("Retry-After", "1")
			.expectBody()
			.json("{\"code\":1500,\"message\":\"The batch could not be queued, please retry.\"}", true);
		assertThat(staged()).isEmpty();
	}

	@Test
	void cleansUpWhenTheClientGoesAwayMidUpload(CapturedOutput output) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			OutputStream out = socket.getOutputStream();
			String head = "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.jpg\"\r\n"
					+ "Content-Type: image/jpeg\r\n\r\n";
			out.write(("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestServers.TOKEN
					+ "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: " + (20 * MB)
					+ "\r\n\r\n" + head)
				.getBytes(StandardCharsets.US_ASCII));
			out.write(bytes(9 * MB, 9));
			out.flush();
			Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> slots.inUse() == 1);
		}
		// the slot is given back when the request ends; the staged bytes are deleted or aborted after
		Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> slots.inUse() == 0);
		Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			assertThat(staged()).isEmpty();
			assertThat(TestServers.s3().listMultipartUploads(list -> list.bucket(TestServers.BUCKET)).uploads())
				.isEmpty();
		});
		assertThat(publisher.published()).isEmpty();
		assertThat(output).doesNotContain("Unexpected failure");
	}

	private void expectRejected(MultipartBodyBuilder body, String message) {
		submit(body).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo(1000)
			.jsonPath("$.message")
			.isEqualTo(message);
		assertThat(publisher.published()).isEmpty();
		assertThat(staged()).isEmpty();
	}

	@Test
	void theBachArtPathsServeTheSameRoutes() {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("batch_id", "vdr-path-batch");
		file(body, "product-1.jpg", bytes(100, 9), MediaType.IMAGE_JPEG);

		client.post()
			.uri("/api/vdr/batch-upload/submit-with-files")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.bodyValue(body.build())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data.batch_id")
			.isEqualTo("vdr-path-batch");
		assertThat(publisher.published()).hasSize(1);

		client.get()
			.uri("/api/vdr/batch-upload/status/known")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data.batch_id")
			.isEqualTo("known");
	}

	private WebTestClient.ResponseSpec submit(MultipartBodyBuilder body) {
		return client.post()
			.uri(PATH)
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.bodyValue(body.build())
			.exchange();
	}

	private static void file(MultipartBodyBuilder body, String filename, byte[] content, MediaType type) {
		body.part("files", content).filename(filename).contentType(type);
	}

}
