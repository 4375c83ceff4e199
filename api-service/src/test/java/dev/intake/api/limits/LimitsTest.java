package dev.intake.api.limits;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import reactor.netty.http.client.HttpClient;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.auth.TestIssuer;
import dev.intake.api.publish.RecordingBatchPublisher;
import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Per-tenant limits (catalogue row 71) and the server timeouts, with small limits. Each test acts
 * for its own tenant (a JWT naming it), so their budgets do not mix.
 */
@ApiServiceTest
@TestPropertySource(properties = { "intake.limits.requests-per-minute=100", "intake.limits.images-per-minute=3",
		"intake.limits.bytes-per-minute=4KB", "intake.limits.batches-in-flight=1", "intake.limits.read-timeout=5s",
		"server.netty.idle-timeout=5s", "intake.assets.answer-timeout=10s" })
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LimitsTest {

	private static final String SUBMIT = "/v1/batch-upload/submit";

	@LocalServerPort
	int port;

	@Autowired
	RecordingBatchPublisher publisher;

	WebTestClient client;

	/**
	 * A connection per request: this server closes idle connections after 5 s, and a pooled
	 * connection taken up just as the server closes it would fail a request with a reset that has
	 * nothing to do with the limit under test.
	 */
	@BeforeEach
	void setUp() {
		client = WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.newConnection()))
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(60))
			.build();
		publisher.reset();
	}

	@Test
	void answers429WithRetryAfterOnceATenantsRequestsAreUsedUp() {
		String token = tokenOf("requests-a");
		int served = 0;
		EntityExchangeResult<byte[]> refused = null;
		while (refused == null && served < 1000) {
			EntityExchangeResult<byte[]> result = get(token, "/v1/nothing/here");
			if (result.getStatus().value() == 429) {
				refused = result;
			}
			else {
				assertThat(result.getStatus().value()).isEqualTo(404);
				served++;
			}
		}
		assertThat(served).isGreaterThanOrEqualTo(100);
		assertRateLimited(refused);
		// another tenant is not affected
		assertThat(get(tokenOf("requests-b"), "/v1/nothing/here").getStatus().value()).isEqualTo(404);
	}

	@Test
	void answers429WhenABatchWouldExceedTheImagesPerMinute() {
		String token = tokenOf("images");
		assertThat(submitUrls(token, 2).getStatus().value()).isEqualTo(200);
		EntityExchangeResult<byte[]> refused = submitUrls(token, 2);
		assertRateLimited(refused);
		assertThat(new String(refused.getResponseBodyContent(), StandardCharsets.UTF_8)).contains("images");
		assertThat(publisher.published()).hasSize(1);
		assertThat(submitUrls(tokenOf("images-other"), 3).getStatus().value()).isEqualTo(200);
	}

	@Test
	void answers429BeforeReadingABodyOverTheBytesPerMinute() {
		String token = tokenOf("bytes");
		String padded = urlBatch(1) + " ".repeat(3000);
		assertThat(submit(token, padded).getStatus().value()).isEqualTo(200);
		EntityExchangeResult<byte[]> refused = submit(token, padded);
		assertRateLimited(refused);
		assertThat(new String(refused.getResponseBodyContent(), StandardCharsets.UTF_8)).contains("bytes");
		assertThat(publisher.published()).hasSize(1);
	}

	/**
	 * The stalled client holds the tenant's one slot for the read timeout (5 s), long enough for
	 * the test's next submit to find it held on a busy machine too; then it is cut off.
	 */
	@Test
	void cutsOffAClientThatStopsSendingItsBodyWhileOthersAreServedAndFreesItsSlot() throws Exception {
		String token = tokenOf("slow-body");
		try (Socket slow = new Socket("127.0.0.1", port)) {
			slow.setSoTimeout(60_000);
			OutputStream out = slow.getOutputStream();
			out.write(("POST " + SUBMIT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
					+ "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"items\": [")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			// the slow client holds its submission slot (batches-in-flight=1) until it is cut off
			assertRateLimited(awaitStatus(() -> submit(token, urlBatch(1)), 429));
			// others are served meanwhile
			assertThat(get(tokenOf("slow-body-other"), "/v1/nothing/here").getStatus().value()).isEqualTo(404);
			assertClosedByServer(slow.getInputStream());
		}
		// its slot is free again
		assertThat(awaitStatus(() -> submit(token, urlBatch(1)), 200).getStatus().value()).isEqualTo(200);
	}

	/**
	 * A nursery upload whose credential is its {@code JWT_code} field is charged to that tenant
	 * once the field is read: it holds the tenant's one submission slot like a header-credential
	 * upload, so a second submit of the tenant is refused meanwhile; the slot is free again once
	 * the stalled upload is cut off.
	 */
	@Test
	void aNurseryUploadWithItsCredentialInTheFormTakesTheTenantsSubmissionSlot() throws Exception {
		String token = tokenOf("nursery-field");
		try (Socket slow = new Socket("127.0.0.1", port)) {
			slow.setSoTimeout(60_000);
			OutputStream out = slow.getOutputStream();
			out.write(("POST /image_upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\n"
					+ "Content-Length: 2000\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"JWT_code\"\r\n\r\n" + token
					+ "\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
					+ "Content-Type: image/png\r\n\r\n\u0089PNG\r\n\u001a\n").getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			// a later read: the parser holds the end of a read back until the next shows no boundary in it
			Thread.sleep(200);
			out.write("x".repeat(300).getBytes(StandardCharsets.US_ASCII));
			out.flush();
			// a write to no route takes a slot too: 429 while the upload holds it, else 404
			EntityExchangeResult<byte[]> held = awaitStatus(() -> post(token, "/v1/nothing/here"), 429);
			assertRateLimited(held);
			assertThat(new String(held.getResponseBodyContent(), StandardCharsets.UTF_8)).contains("submissions");
			assertClosedByServer(slow.getInputStream());
		}
		assertThat(awaitStatus(() -> post(token, "/v1/nothing/here"), 404).getStatus().value()).isEqualTo(404);
	}

	/**
	 * A single-file upload that is queued and waits for its stored file (this test's status-service
	 * never tells it, so until the answer timeout) holds one of its tenant's live progress places,
	 * not its submission slot: the tenant's next upload is not refused meanwhile.
	 */
	@Test
	void aSingleFileUploadWaitingForItsFileGivesItsSubmissionSlotBack() throws Exception {
		String token = tokenOf("single-file-wait");
		byte[] png = TestImages.png(4, 4);
		CompletableFuture<EntityExchangeResult<byte[]>> waiting = CompletableFuture.supplyAsync(() -> client.post()
			.uri("/attachment/upload")
			.header("Authorization", "Bearer " + token)
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(BodyInserters.fromMultipartData("file", new ByteArrayResource(png) {
				@Override
				public String getFilename() {
					return "a.png";
				}
			}))
			.exchange()
			.expectBody()
			.returnResult());
		await().atMost(Duration.ofSeconds(30)).until(() -> waiting.isDone() || !publisher.published().isEmpty());
		assertThat(waiting).as(() -> "answered before it was queued: " + waiting.join().getStatus() + " "
				+ new String(waiting.join().getResponseBodyContent(), StandardCharsets.UTF_8)).isNotDone();

		assertThat(post(token, "/v1/nothing/here").getStatus().value()).as("a write while the upload waits").isEqualTo(404);
		assertThat(waiting).isNotDone();
		assertThat(waiting.get(60, TimeUnit.SECONDS).getStatus().value()).isEqualTo(503);
	}

	/**
	 * A chunked nursery upload whose credential is its {@code JWT_code} field is charged its body
	 * bytes like one with a {@code Content-Length} or a header credential: after 3.5 KB of it,
	 * the tenant's 4 KB a minute have no room for a 3 KB submit.
	 */
	@Test
	void aChunkedNurseryUploadWithItsCredentialInTheFormIsChargedItsBytes() throws Exception {
		String token = tokenOf("nursery-chunked");
		String form = "--b\r\nContent-Disposition: form-data; name=\"JWT_code\"\r\n\r\n" + token
				+ "\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n"
				+ "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n" + "x".repeat(3500) + "\r\n--b--\r\n";
		try (Socket upload = new Socket("127.0.0.1", port)) {
			upload.setSoTimeout(60_000);
			OutputStream out = upload.getOutputStream();
			out.write(("POST /image_upload HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
					+ "Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n"
					+ Integer.toHexString(form.length()) + "\r\n" + form + "\r\n0\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			// answered once the body is read (this context's status-service has no live progress: 503)
			String answer = new String(upload.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
			assertThat(answer).startsWith("HTTP/1.1 503");
		}
		EntityExchangeResult<byte[]> refused = submit(token, urlBatch(1) + " ".repeat(3000));
		assertRateLimited(refused);
		assertThat(new String(refused.getResponseBodyContent(), StandardCharsets.UTF_8)).contains("bytes");
	}

	@Test
	void cutsOffAClientThatSendsItsHeadersSlowly() throws Exception {
		try (Socket slow = new Socket("127.0.0.1", port)) {
			slow.setSoTimeout(60_000);
			OutputStream out = slow.getOutputStream();
			out.write("GET /v1/batch-upload/status/known HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			assertThat(get(tokenOf("slow-headers-other"), "/v1/nothing/here").getStatus().value()).isEqualTo(404);
			assertClosedByServer(slow.getInputStream());
		}
	}

	@Test
	void refusesRequestHeadersOverTheConfiguredSize() {
		EntityExchangeResult<byte[]> result = client.get()
			.uri("/v1/batch-upload/status/known")
			.header("Authorization", "Bearer " + tokenOf("big-headers"))
			.header("X-Padding", "x".repeat(9 * 1024))
			.exchange()
			.expectBody()
			.returnResult();
		assertThat(result.getStatus().value()).isEqualTo(431);
	}

	@Test
	void refusesMultipartWithTooManyPartsOrOversizePartHeaders() {
		// one tenant each: the first request takes the whole (small) bytes-per-minute budget
		StringBuilder many = new StringBuilder();
		for (int i = 0; i < 611; i++) {
			many.append("--b\r\nContent-Disposition: form-data; name=\"image_names\"\r\n\r\nx\r\n");
		}
		many.append("--b--\r\n");
		assertThat(multipart(tokenOf("multipart-parts"), many.toString()).expectStatus().isBadRequest().expectBody(String.class)
			.returnResult().getResponseBody()).contains("more than 610 parts");

		String hugeHeader = "--b\r\nContent-Disposition: form-data; name=\"image_names\"\r\nX-Pad: "
				+ "y".repeat(17 * 1024) + "\r\n\r\nx\r\n--b--\r\n";
		assertThat(multipart(tokenOf("multipart-headers"), hugeHeader).expectStatus().isBadRequest().expectBody(String.class)
			.returnResult().getResponseBody()).startsWith("{\"code\":1000,");
	}

	private WebTestClient.ResponseSpec multipart(String token, String body) {
		return client.post()
			.uri("/v1/batch-upload/submit-with-files")
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "multipart/form-data; boundary=b")
			.bodyValue(body)
			.exchange();
	}

	private static void assertClosedByServer(InputStream in) throws IOException {
		try {
			// whatever the server says last, it then closes: read to the end
			while (in.read() != -1) {
				// drain
			}
		}
		catch (SocketTimeoutException ex) {
			throw new AssertionError("the server kept the stalled connection open", ex);
		}
		catch (IOException reset) {
			// closed with a reset: also cut off
		}
	}

	private static void assertRateLimited(EntityExchangeResult<byte[]> result) {
		assertThat(result).isNotNull();
		assertThat(result.getStatus().value()).isEqualTo(429);
		String retryAfter = result.getResponseHeaders().getFirst("Retry-After");
		assertThat(retryAfter).isNotNull();
		assertThat(Long.parseLong(retryAfter)).isBetween(1L, 60L);
		assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
		assertThat(new String(result.getResponseBodyContent(), StandardCharsets.UTF_8)).startsWith("{\"code\":1429,");
	}

	private EntityExchangeResult<byte[]> awaitStatus(Supplier<EntityExchangeResult<byte[]>> call, int status) {
		return await("HTTP " + status).atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(50))
			.until(call::get, result -> result.getStatus().value() == status);
	}

	private EntityExchangeResult<byte[]> get(String token, String path) {
		return client.get().uri(path).header("Authorization", "Bearer " + token).exchange().expectBody().returnResult();
	}

	private EntityExchangeResult<byte[]> post(String token, String path) {
		return client.post().uri(path).header("Authorization", "Bearer " + token).exchange().expectBody().returnResult();
	}

	private EntityExchangeResult<byte[]> submitUrls(String token, int count) {
		return submit(token, urlBatch(count));
	}

	private EntityExchangeResult<byte[]> submit(String token, String body) {
		return client.post()
			.uri(SUBMIT)
			.header("Authorization", "Bearer " + token)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectBody()
			.returnResult();
	}

	private static String urlBatch(int count) {
		StringBuilder items = new StringBuilder();
		for (int i = 0; i < count; i++) {
			items.append(i == 0 ? "" : ",").append("{\"type\":\"url\",\"url\":\"https://images.example.com/").append(i)
				.append(".jpg\"}");
		}
		return "{\"items\":[" + items + "]}";
	}

	private static String tokenOf(String tenant) {
		return TestIssuer.hs256(TestIssuer.claims(claims -> claims.claim("tenant", tenant)));
	}

}
