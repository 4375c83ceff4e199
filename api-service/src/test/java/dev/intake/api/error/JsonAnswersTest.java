package dev.intake.api.error;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import dev.intake.api.publish.RecordingBatchPublisher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answers are JSON whatever the {@code Accept} header asks, with Jackson's XML codec on the
 * classpath (it is on the tests', as on the local run's, through the embedded S3 server).
 */
@ApiServiceTest
@ExtendWith(OutputCaptureExtension.class)
class JsonAnswersTest {

	/** What a browser sends with a form post. */
	private static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

	@LocalServerPort
	int port;

	@Autowired
	RecordingBatchPublisher publisher;

	WebTestClient client;

	@BeforeEach
	void setUp() {
		client = TestServers.client(port);
		publisher.reset();
		TestServers.deleteStaged();
	}

	@Test
	void aBrowsersFormPostIsAnsweredInJson(CapturedOutput output) {
		submit(BROWSER);
		assertThat(publisher.published()).hasSize(1);
		assertThat(output.getAll()).doesNotContain("Unexpected failure");
	}

	@Test
	void aClientAcceptingOnlyXmlGetsJson(CapturedOutput output) {
		for (String accept : new String[] { "application/xml", "text/xml", "application/atom+xml" }) {
			submit(accept);
		}
		assertThat(publisher.published()).hasSize(3);
		assertThat(output.getAll()).doesNotContain("Unexpected failure");
	}

	@Test
	void aClientAcceptingNeitherJsonNorAStreamGetsJson(CapturedOutput output) {
		for (String accept : new String[] { "text/html", "image/*", "text/plain;q=0.5, text/csv" }) {
			submit(accept);
		}
		assertThat(publisher.published()).hasSize(3);
		assertThat(output.getAll()).doesNotContain("Unexpected failure");
	}

	/** A malformed {@code Accept} is refused the same whether the batch exists or not: 406, in JSON. */
	@Test
	void aMalformedAcceptIsRefusedWithABodyForAnUnknownBatch() {
		for (String path : new String[] { "/v1/batch-upload/status/no-such-batch",
				"/v1/batch-upload/status/no-such-batch/events" }) {
			client.get()
				.uri(path)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + TestServers.TOKEN)
				.header(HttpHeaders.ACCEPT, "///")
				.exchange()
				.expectStatus()
				.isEqualTo(406)
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo(406);
		}
	}

	/** Stored images are served (here: looked for) whatever a CDN or crawler sends as Accept. */
	@Test
	void aMalformedAcceptDoesNotKeepTheOriginFromAnswering() {
		client.get()
			.uri("/i/images/local/0123456789abcdef.png")
			.header(HttpHeaders.ACCEPT, "///")
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	private void submit(String accept) {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		body.part("files", new byte[] { 1, 2, 3 }, MediaType.IMAGE_PNG)
			.header(HttpHeaders.CONTENT_DISPOSITION, "form-data; name=\"files\"; filename=\"a.png\"");
		client.post()
			.uri("/v1/batch-upload/submit-with-files")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TestServers.TOKEN)
			.header(HttpHeaders.ACCEPT, accept)
			.body(BodyInserters.fromMultipartData(body.build()))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.data.status")
			.isEqualTo("TASK_PENDING");
	}

}
