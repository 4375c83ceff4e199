package dev.intake.status.web;

import java.net.URI;

import dev.intake.contracts.BatchKey;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.status.lookup.BatchStatusQuery;
import dev.intake.status.lookup.PeerForwarder;
import dev.intake.status.lookup.StatusAnswer;
import dev.intake.status.view.BatchStatusView;
import dev.intake.status.view.ImageLinkProperties;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;

import static dev.intake.status.progress.Batches.aBatchOf;
import static dev.intake.status.progress.Batches.failed;
import static dev.intake.status.progress.Batches.progressOf;
import static dev.intake.status.progress.Batches.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

@WebFluxTest(BatchStatusController.class)
class BatchStatusControllerTest {

	@Autowired
	WebTestClient client;

	@MockitoBean
	BatchStatusQuery query;

	private final ImageLinkProperties links = new ImageLinkProperties(URI.create("http://127.0.0.1:8080/i/"));

	@Test
	void aKnownBatchIsAnsweredInTheSeedsEnvelope() {
		BatchSubmitted batch = aBatchOf("acme", "b-1", 2);
		var view = BatchStatusView.of("b-1", progressOf(batch, stored(batch, 0), failed(batch, 1)), links);
		given(query.find(new BatchKey("acme", "b-1"), false)).willReturn(Mono.just(new StatusAnswer.Found(view)));

		client.get()
			.uri("/internal/batches/acme/b-1")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.code").isEqualTo(200)
			.jsonPath("$.message").isEqualTo("success")
			.jsonPath("$.data.batch_id").isEqualTo("b-1")
			.jsonPath("$.data.total_count").isEqualTo(2)
			.jsonPath("$.data.processed_count").isEqualTo(2)
			.jsonPath("$.data.success_count").isEqualTo(1)
			.jsonPath("$.data.failed_count").isEqualTo(1)
			.jsonPath("$.data.status").isEqualTo("TASK_SUCCEEDED")
			.jsonPath("$.data.results[0].image_url")
			.value(url -> assertThat(url).asString().startsWith("http://127.0.0.1:8080/i/images/acme/"))
			.jsonPath("$.data.results[0].error_message").doesNotExist()
			.jsonPath("$.data.results[1].status").isEqualTo("TASK_FAILED")
			.jsonPath("$.data.results[1].image_url").doesNotExist()
			.jsonPath("$.data.results[1].image").doesNotExist();
	}

	@Test
	void anUnknownBatchIs1203() {
		given(query.find(any(), anyBoolean())).willReturn(Mono.just(new StatusAnswer.NotFound()));

		client.get()
			.uri("/internal/batches/acme/nope")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.json("{\"code\":1203,\"message\":\"Batch ID does not exist or has expired.\"}", true);
	}

	@Test
	void idsThatCannotBeBatchesAre1203WithoutALookUp() {
		client.get()
			.uri("/internal/batches/acme/" + "x".repeat(65))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.code").isEqualTo(1203);
		client.get()
			.uri("/internal/batches/{tenant}/b-1", "a cme")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.code").isEqualTo(1203);

		then(query).should(never()).find(any(), anyBoolean());
	}

	@Test
	void unavailableIs503WithRetryAfter() {
		given(query.find(any(), anyBoolean())).willReturn(Mono.just(new StatusAnswer.Unavailable("rebalancing")));

		client.get()
			.uri("/internal/batches/acme/b-1")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "1")
			.expectBody()
			.json("{\"code\":1500,\"message\":\"Batch status is temporarily unavailable, please retry.\"}", true);
	}

	@Test
	void anUnexpectedFailureIsA503NotAStackTrace() {
		given(query.find(any(), anyBoolean())).willReturn(Mono.error(new IllegalStateException("boom")));

		client.get()
			.uri("/internal/batches/acme/b-1")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.code").isEqualTo(1500);
	}

	@Test
	void aForwardedLookUpIsMarkedAsSuch() {
		given(query.find(new BatchKey("acme", "b-1"), true)).willReturn(Mono.just(new StatusAnswer.NotFound()));

		client.get()
			.uri("/internal/batches/acme/b-1")
			.header(PeerForwarder.FORWARDED_HEADER, "true")
			.exchange()
			.expectStatus()
			.isNotFound();

		then(query).should().find(new BatchKey("acme", "b-1"), true);
	}

	@Test
	void theOwnersAnswerIsPassedOnAsItCame() {
		ownerAnswers(503, "{\"code\":1500,\"message\":\"from the owner\"}",
				headers -> headers.set(HttpHeaders.RETRY_AFTER, "1"));

		client.get()
			.uri("/internal/batches/acme/b-1")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "1")
			.expectBody()
			.json("{\"code\":1500,\"message\":\"from the owner\"}", true);
	}

	@Test
	void aFinishedAnswerCarriesItsTagAndIsNotSentAgainToWhoeverHoldsIt() {
		byte[] body = "{\"code\":200,\"message\":\"success\",\"data\":{\"batch_id\":\"b-1\"}}".getBytes();
		given(query.find(any(), anyBoolean()))
			.willReturn(Mono.just(new StatusAnswer.Rendered(body, "\"tag-1\"")));

		client.get()
			.uri("/internal/batches/acme/b-1")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, "\"tag-1\"")
			.expectBody()
			.json(new String(body), true);
		client.get()
			.uri("/internal/batches/acme/b-1")
			.header(HttpHeaders.IF_NONE_MATCH, "\"tag-1\"")
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, "\"tag-1\"")
			.expectBody()
			.isEmpty();
		client.get()
			.uri("/internal/batches/acme/b-1")
			.header(HttpHeaders.IF_NONE_MATCH, "\"an-older-tag\"")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json(new String(body), true);
	}

	@Test
	void theOwnersTagIsPassedOnAndHonoured() {
		ownerAnswers(200, "{\"code\":200,\"message\":\"success\",\"data\":{}}",
				headers -> headers.setETag("\"owners-tag\""));

		client.get()
			.uri("/internal/batches/acme/b-1")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, "\"owners-tag\"");
		client.get()
			.uri("/internal/batches/acme/b-1")
			.header(HttpHeaders.IF_NONE_MATCH, "\"owners-tag\"")
			.exchange()
			.expectStatus()
			.isNotModified();
	}

	/** The look-up is owned elsewhere, and the owner answers {@code status} with a JSON {@code body}. */
	private void ownerAnswers(int status, String body, java.util.function.Consumer<HttpHeaders> more) {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		more.accept(headers);
		given(query.find(any(), anyBoolean()))
			.willReturn(Mono.just(new StatusAnswer.Relayed(status, headers, body.getBytes())));
	}

}
