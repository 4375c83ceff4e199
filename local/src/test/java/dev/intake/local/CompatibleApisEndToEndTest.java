package dev.intake.local;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The AnqiCMS attachment upload and the Inventorum images API over the whole pipeline (real
 * broker, S3Proxy, worker and status-service in one JVM): each document's own example request,
 * the answer compared field by field, and every URL in it served at once with the right bytes.
 */
@Order(SharedStack.CLEAN)
class CompatibleApisEndToEndTest {

	/** The boundary of the AnqiCMS document's form example. */
	private static final String DOCUMENT_BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

	@RegisterExtension
	static final SharedStack stack = new SharedStack();

	static LocalIntake intake;

	static IntakeClient client;

	static StoredObjects storage;

	static String origin;

	@BeforeAll
	static void startIntake() throws Exception {
		intake = stack.intake();
		client = LocalStacks.clientOf(intake);
		storage = new StoredObjects(intake.s3());
		origin = "http://127.0.0.1:" + intake.settings().apiPort();
	}

	@AfterAll
	static void stopIntake() {
		if (storage != null) {
			storage.close();
		}
	}

	@Test
	void theAnqiCmsFormExampleIsAnsweredAsDocumented() throws Exception {
		byte[] jpeg = TestImages.unique().jpeg(640, 480);
		long before = Instant.now().getEpochSecond();
		// the document's raw form: category_id first, then the file, with its boundary
		Form form = new Form(DOCUMENT_BOUNDARY).field("category_id", "1").file("file", "example.jpg", "image/jpeg", jpeg);

		var answer = anqi("?token=" + LocalStacks.TOKEN, form);
		long after = Instant.now().getEpochSecond();

		assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
		JsonNode body = answer.body();
		assertThat(body.propertyNames()).containsExactly("code", "data", "msg");
		assertThat(body.get("code").asInt()).isZero();
		assertThat(body.get("msg").asString()).isEmpty();
		JsonNode data = body.get("data");
		assertThat(data.propertyNames()).containsExactly("id", "created_time", "updated_time", "file_name",
				"file_location", "file_size", "file_md5", "width", "height", "category_id", "is_image", "status", "logo",
				"thumb");
		assertThat(data.get("id").asLong()).isPositive();
		assertThat(data.get("created_time").asLong()).isBetween(before, after);
		assertThat(data.get("updated_time").asLong()).isEqualTo(data.get("created_time").asLong());
		assertThat(data.get("file_name").asString()).isEqualTo("example.jpg");
		assertThat(data.get("file_location").asString()).startsWith("images/local/").endsWith(".jpg");
		assertThat(data.get("file_size").asLong()).isEqualTo(jpeg.length);
		assertThat(data.get("file_md5").asString()).isEqualTo(md5(jpeg));
		assertThat(data.get("width").asInt()).isEqualTo(640);
		assertThat(data.get("height").asInt()).isEqualTo(480);
		assertThat(data.get("category_id").asLong()).isEqualTo(1);
		assertThat(data.get("is_image").asInt()).isEqualTo(1);
		assertThat(data.get("status").asInt()).isEqualTo(1);
		assertThat(data.get("logo").asString()).isEqualTo(origin + "/i/" + data.get("file_location").asString());
		assertThat(storage.original(data.get("file_location").asString()).asByteArray()).isEqualTo(jpeg);
		assertServes(data.get("logo").asString(), "image/jpeg", jpeg);
		assertImageServed(data.get("thumb").asString(), 240);
	}

	@Test
	void theAnqiCmsCurlExampleWithAOneMegabyteJpegIsAnswered() throws Exception {
		byte[] jpeg = TestImages.noisyJpegs(1, 1024 * 1024, 15).get(0);
		var size = ImageIO.read(new ByteArrayInputStream(jpeg));
		JsonNode data = null;
		for (int i = 0; i < 5; i++) {
			byte[] bytes = TestImages.variant(jpeg, "run-" + i);
			// curl -F 'category_id=1' -F 'file=@/path/to/your/image.jpg'
			Form form = new Form("------------------------curl" + i).field("category_id", "1")
				.file("file", "image.jpg", "image/jpeg", bytes);
			var answer = anqi("?token=" + LocalStacks.TOKEN, form);
			assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
			data = answer.body().get("data");
			assertThat(data.get("file_md5").asString()).isEqualTo(md5(bytes));
			assertServes(data.get("logo").asString(), "image/jpeg", bytes);
		}
		assertThat(data.get("width").asInt()).isEqualTo(size.getWidth());
		assertThat(data.get("height").asInt()).isEqualTo(size.getHeight());
		assertImageServed(data.get("thumb").asString(), 240);
	}

	@Test
	void replacingAnAttachmentKeepsItsIdAndChangesItsUpdatedTime() throws Exception {
		byte[] first = TestImages.unique().png(300, 200);
		var created = anqi("?token=" + LocalStacks.TOKEN,
				new Form("b1").field("category_id", "3").file("file", "first.png", "image/png", first));
		assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
		JsonNode was = created.body().get("data");
		long id = was.get("id").asLong();
		// Unix seconds: the replacement must come in a later second to show a later time
		await().atMost(Duration.ofMinutes(1))
			.until(() -> Instant.now().getEpochSecond() > was.get("updated_time").asLong());

		byte[] second = TestImages.unique().jpeg(120, 90);
		var replaced = anqi("",
				new Form("b2").field("id", Long.toString(id)).file("file", "second.jpg", "image/jpeg", second),
				"X-Api-Key", LocalStacks.TOKEN);

		assertThat(replaced.status()).as(replaced.body().toString()).isEqualTo(200);
		JsonNode now = replaced.body().get("data");
		assertThat(now.get("id").asLong()).isEqualTo(id);
		assertThat(now.get("created_time").asLong()).isEqualTo(was.get("created_time").asLong());
		assertThat(now.get("updated_time").asLong()).isGreaterThan(was.get("updated_time").asLong());
		assertThat(now.get("category_id").asLong()).as("kept from the first upload").isEqualTo(3);
		assertThat(now.get("file_name").asString()).isEqualTo("second.jpg");
		assertThat(now.get("width").asInt()).isEqualTo(120);
		assertThat(now.get("file_md5").asString()).isEqualTo(md5(second));
		assertServes(now.get("logo").asString(), "image/jpeg", second);
	}

	@Test
	void replacingAnAttachmentThatDoesNotExistIs404() throws Exception {
		var answer = anqi("?token=" + LocalStacks.TOKEN, new Form("b3").field("id", "987654321")
			.file("file", "x.png", "image/png", TestImages.unique().png(10, 10)));

		assertThat(answer.status()).isEqualTo(404);
		assertThat(answer.body().get("code").asInt()).isEqualTo(-1);
		assertThat(answer.body().get("msg").asString()).contains("987654321");
	}

	@Test
	void aPdfIsAnAttachmentThatIsNoImage() throws Exception {
		byte[] pdf = TestImages.pdf();
		var answer = anqi("?token=" + LocalStacks.TOKEN,
				new Form("b4").file("file", "manual.pdf", "application/pdf", pdf));

		assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
		JsonNode data = answer.body().get("data");
		assertThat(data.get("is_image").asInt()).isZero();
		assertThat(data.get("width").asInt()).isZero();
		assertThat(data.get("height").asInt()).isZero();
		assertThat(data.get("category_id").asLong()).isZero();
		assertThat(data.get("file_location").asString()).startsWith("files/local/").endsWith(".pdf");
		assertThat(data.get("thumb").asString()).isEqualTo(data.get("logo").asString());
		HttpResponse<byte[]> served = assertServes(data.get("logo").asString(), "application/pdf", pdf);
		assertThat(served.headers().firstValue("Content-Disposition")).hasValueSatisfying(
				disposition -> assertThat(disposition).startsWith("attachment"));
	}

	@Test
	void textNamedAsAnImageIsRefusedWithAReason() throws Exception {
		var answer = anqi("?token=" + LocalStacks.TOKEN, new Form("b5").file("file", "photo.jpg", "image/jpeg",
				"this is not a picture".getBytes(StandardCharsets.US_ASCII)));

		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.body().propertyNames()).containsExactly("code", "msg");
		assertThat(answer.body().get("code").asInt()).isEqualTo(-1);
		assertThat(answer.body().get("msg").asString()).isNotBlank();
	}

	@Test
	void theInventorumCurlExampleIsAnsweredAsDocumented() throws Exception {
		byte[] jpeg = TestImages.unique().jpeg(2000, 1500);
		// curl -H 'Authorization: Bearer …' -H 'X-Api-Version: 12' -F 'image=@image-file.jpg' -F type=product
		Form form = new Form(DOCUMENT_BOUNDARY).file("image", "image-file.jpg", "image/jpeg", jpeg).field("type", "product");

		var answer = inventorum("12", form);

		assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
		JsonNode body = answer.body();
		assertThat(body.propertyNames()).containsExactly("id", "urls", "type", "new");
		assertThat(body.get("id").asLong()).isPositive();
		assertThat(body.get("type").asInt()).isZero();
		assertThat(body.get("new").asBoolean()).isTrue();
		JsonNode urls = body.get("urls");
		assertThat(urls.propertyNames()).containsExactly("ipad", "thumb", "image", "ipad_retina", "ebay",
				"thumb_retina", "original");
		assertServes(urls.get("original").asString(), "image/jpeg", jpeg);
		assertImageServed(urls.get("thumb").asString(), 150);
		assertImageServed(urls.get("thumb_retina").asString(), 300);
		assertImageServed(urls.get("ipad").asString(), 768);
		assertImageServed(urls.get("image").asString(), 768);
		assertImageServed(urls.get("ipad_retina").asString(), 1536);
		assertImageServed(urls.get("ebay").asString(), 1600);
	}

	@Test
	void inventorumVersionSevenReadsProductImageAndAnswersANegativeId() throws Exception {
		Form form = new Form("b6").field("type", "category")
			.file("product_image", "p.png", "image/png", TestImages.unique().png(64, 64));

		var answer = inventorum("7", form);

		assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
		assertThat(answer.body().get("id").asLong()).isNegative();
		assertThat(answer.body().get("type").asInt()).isEqualTo(3);
	}

	@Test
	void theAssetIdsOfBothApisAreDistinct() throws Exception {
		var one = anqi("?token=" + LocalStacks.TOKEN,
				new Form("b7").file("file", "a.png", "image/png", TestImages.unique().png(8, 8)));
		var two = inventorum(null,
				new Form("b8").file("image", "b.png", "image/png", TestImages.unique().png(8, 8)).field("type", "user"));

		assertThat(one.status()).isEqualTo(200);
		assertThat(two.status()).isEqualTo(200);
		assertThat(two.body().get("id").asLong()).isNotEqualTo(one.body().get("data").get("id").asLong());
		assertThat(two.body().get("type").asInt()).isEqualTo(2);
	}

	@Test
	void aSingleFileUploadIsNotQueuedBehindTheJobsOfALargeBatch() throws Exception {
		// a batch of URL items whose origin trickles its answers until released: every worker
		// thread of the large batches' queue is busy with one, and more of its jobs wait behind them
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch asked = new CountDownLatch(1);
		stack.serve("/compat-trickled/", exchange -> {
			asked.countDown();
			byte[] png = TestImages.unique().png(40, 30);
			exchange.getResponseHeaders().set("Content-Type", "image/png");
			exchange.sendResponseHeaders(200, png.length);
			try (var out = exchange.getResponseBody()) {
				int sent = 0;
				while (!release.await(500, TimeUnit.MILLISECONDS) && sent < png.length - 1) {
					out.write(png[sent++]);
					out.flush();
				}
				out.write(png, sent, png.length - sent);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		StringBuilder items = new StringBuilder();
		for (int i = 0; i < 12; i++) {
			items.append((i > 0) ? "," : "").append("{\"type\": \"url\", \"url\": \"")
				.append(stack.loopbackUrl("/compat-trickled/" + i + ".png")).append("\"}");
		}
		var submitted = client.send(HttpRequest.newBuilder(URI.create(intake.settings().baseUrl() + "/batch-upload/submit"))
			.header("Authorization", "Bearer " + LocalStacks.TOKEN)
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString("{\"batch_id\": \"compat-large\", \"items\": [" + items + "]}"))
			.build());
		assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(200);
		try {
			assertThat(asked.await(30, TimeUnit.SECONDS)).as("the large batch's first fetch").isTrue();
			Thread.sleep(1000); // the other worker threads take their jobs

			byte[] png = TestImages.unique().png(50, 40);
			HttpRequest upload = HttpRequest.newBuilder(URI.create(origin + "/attachment/upload?token=" + LocalStacks.TOKEN))
				.timeout(Duration.ofSeconds(6))
				.header("Content-Type", "multipart/form-data; boundary=queue")
				.POST(HttpRequest.BodyPublishers.ofByteArray(new Form("queue").file("file", "quick.png", "image/png", png).bytes()))
				.build();
			// answered while every job of the large batch is still held (a fetch gives up after 10 s)
			var answer = client.send(upload);
			assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
			assertThat(answer.body().get("data").get("width").asInt()).isEqualTo(50);
			assertThat(release.getCount()).isEqualTo(1);
		}
		finally {
			release.countDown();
		}
		JsonNode done = client.awaitCompletion("compat-large", Duration.ofMinutes(2));
		assertThat(done.get("success_count").asInt()).isEqualTo(12);
	}

	private IntakeClient.Answer anqi(String query, Form form, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + "/attachment/upload" + query))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "multipart/form-data; boundary=" + form.boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes()));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return client.send(request.build());
	}

	private IntakeClient.Answer inventorum(String version, Form form) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + "/api/images/"))
			.timeout(Duration.ofSeconds(60))
			.header("Accept", "application/json")
			.header("Authorization", "Bearer " + LocalStacks.TOKEN)
			.header("Content-Type", "multipart/form-data; boundary=" + form.boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes()));
		if (version != null) {
			request.header("X-Api-Version", version);
		}
		return client.send(request.build());
	}

	/** GETs a URL once, right away: it must serve exactly these bytes with this type. */
	private static HttpResponse<byte[]> assertServes(String url, String contentType, byte[] bytes) throws Exception {
		HttpResponse<byte[]> served = client.get(url);
		assertThat(served.statusCode()).as(url).isEqualTo(200);
		assertThat(served.headers().firstValue("Content-Type")).hasValue(contentType);
		assertThat(served.body()).isEqualTo(bytes);
		return served;
	}

	/** GETs a rendition URL once, right away: an image whose long edge is at most {@code longEdge}. */
	private static void assertImageServed(String url, int longEdge) throws Exception {
		HttpResponse<byte[]> served = client.get(url);
		assertThat(served.statusCode()).as(url).isEqualTo(200);
		assertThat(served.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("image/"));
		var image = ImageIO.read(new ByteArrayInputStream(served.body()));
		assertThat(image).as(url).isNotNull();
		assertThat(Math.max(image.getWidth(), image.getHeight())).as(url).isLessThanOrEqualTo(longEdge);
	}

	private static String md5(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
	}

	/** A multipart form built by hand, as a browser or curl sends it. */
	private static final class Form {

		private final String boundary;

		private final ByteArrayOutputStream body = new ByteArrayOutputStream();

		Form(String boundary) {
			this.boundary = boundary;
		}

		Form field(String name, String value) {
			return part("Content-Disposition: form-data; name=\"" + name + "\"\r\n",
					value.getBytes(StandardCharsets.UTF_8));
		}

		Form file(String name, String filename, String contentType, byte[] content) {
			return part("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
					+ "Content-Type: " + contentType + "\r\n", content);
		}

		private Form part(String headers, byte[] content) {
			body.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
			body.writeBytes(content);
			body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
			return this;
		}

		byte[] bytes() {
			ByteArrayOutputStream all = new ByteArrayOutputStream();
			all.writeBytes(body.toByteArray());
			all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
			return all.toByteArray();
		}

	}

}
