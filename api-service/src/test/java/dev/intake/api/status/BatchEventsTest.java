package dev.intake.api.status;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;
import reactor.test.StepVerifier;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/batch-upload/status/{batch_id}/events}, relayed from a fake status-service
 * that streams canned events.
 */
@ApiServiceTest
@ContextConfiguration(initializers = BatchEventsTest.StreamingStatusService.class)
class BatchEventsTest {

	private static final String PENDING = "{\"batch_id\":\"live\",\"processed_count\":0,\"status\":\"TASK_PENDING\"}";

	private static final String DONE = "{\"batch_id\":\"live\",\"processed_count\":1,\"status\":\"TASK_SUCCEEDED\"}";

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	static final List<String> asked = new CopyOnWriteArrayList<>();

	static DisposableServer statusService = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.route(routes -> routes.get("/internal/batches/{tenant}/{batchId}/events", (request, response) -> {
			asked.add(request.param("tenant") + "/" + request.param("batchId") + " "
					+ request.requestHeaders().get("Accept"));
			return switch (request.param("batchId")) {
				case "live" -> stream(response, Flux.just("event:status\ndata:" + PENDING + "\n\n", ":heartbeat\n\n",
						"event:status\ndata:" + DONE + "\n\n"));
				case "silent" -> stream(response,
						Flux.concat(Flux.just("event:status\ndata:" + PENDING + "\n\n"), Flux.never()));
				case "catching-up" -> response.status(503)
					.header("Content-Type", "application/json")
					.header("Retry-After", "2")
					.sendString(Mono.just("{\"code\":1500,\"message\":\"catching up\"}"))
					.then();
				default -> response.status(404)
					.header("Content-Type", "application/json")
					.sendString(Mono.just("{\"code\":1203,\"message\":\"Batch ID does not exist or has expired.\"}"))
					.then();
			};
		}))
		.bindNow();

	@LocalServerPort
	int port;

	WebTestClient client;

	/** {@link TestServers}, except that status look-ups go to the streaming fake above. */
	static final class StreamingStatusService implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			new TestServers.Initializer().initialize(context);
			TestPropertyValues
				.of("intake.status-service.base-url=http://127.0.0.1:" + statusService.port(),
						// short for the silent stream's test, long enough that no busy machine's pause
						// before the first relayed event ends the live one
						"intake.status-service.events-idle-timeout=5s",
						// two streams per tenant, for the test of the cap
						"intake.limits.event-streams=2")
				.applyTo(context);
		}

	}

	@AfterAll
	static void stopStatusService() {
		statusService.disposeNow();
	}

	@BeforeEach
	void setUp() {
		client = TestServers.client(port);
		asked.clear();
	}

	@Test
	void relaysTheEventsOfTheCallersBatchUntilTheStatusServiceEndsThem() {
		Flux<ServerSentEvent<String>> events = get("live", TestServers.TOKEN).expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
			.returnResult(SSE)
			.getResponseBody();

		StepVerifier.create(events)
			.assertNext(event -> {
				assertThat(event.event()).isEqualTo("status");
				assertThat(event.data()).isEqualTo(PENDING);
			})
			.assertNext(heartbeat -> assertThat(heartbeat.comment()).isEqualTo("heartbeat"))
			.assertNext(event -> assertThat(event.data()).isEqualTo(DONE))
			.expectComplete()
			.verify(Duration.ofMinutes(1));
		assertThat(asked).containsExactly("local/live text/event-stream, application/json");
	}

	@Test
	void asksForTheTenantOfTheCredentialOnly() {
		get("live", TestServers.OTHER_TENANT_TOKEN).expectStatus().isOk().returnResult(SSE).getResponseBody()
			.blockLast(Duration.ofMinutes(1));
		assertThat(asked).singleElement().asString().startsWith("other/live ");
	}

	@Test
	void aSilentStreamIsEndedAfterTheIdleTimeout() {
		Flux<ServerSentEvent<String>> events = get("silent", TestServers.TOKEN).expectStatus()
			.isOk()
			.returnResult(SSE)
			.getResponseBody();

		StepVerifier.create(events)
			.assertNext(event -> assertThat(event.data()).isEqualTo(PENDING))
			.expectComplete()
			.verify(Duration.ofMinutes(1));
	}

	@Test
	void relaysNotFoundAndRetryAfterBeforeAnyStream() {
		get("missing", TestServers.TOKEN).expectStatus()
			.isNotFound()
			.expectBody()
			.json("{\"code\":1203,\"message\":\"Batch ID does not exist or has expired.\"}", true);
		get("catching-up", TestServers.TOKEN).expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.valueEquals("Retry-After", "2")
			.expectBody()
			.json("{\"code\":1500,\"message\":\"catching up\"}", true);
	}

	@Test
	void aTenantHasAtMostItsStreamsOpenAndAnswersWithoutAStreamTakeNone() {
		for (int i = 0; i < 3; i++) {
			get("missing", TestServers.TOKEN).expectStatus().isNotFound();
		}
		Flux<ServerSentEvent<String>> first = get("silent", TestServers.TOKEN).expectStatus().isOk().returnResult(SSE)
			.getResponseBody();
		Flux<ServerSentEvent<String>> second = get("silent", TestServers.TOKEN).expectStatus().isOk().returnResult(SSE)
			.getResponseBody();

		get("live", TestServers.TOKEN).expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.valueEquals("Retry-After", "5")
			.expectBody()
			.jsonPath("$.message")
			.value(message -> assertThat((String) message).contains("at most 2"));
		// another tenant's streams are its own
		get("live", TestServers.OTHER_TENANT_TOKEN).expectStatus().isOk().returnResult(SSE).getResponseBody()
			.blockLast(Duration.ofMinutes(1));

		// the silent streams end after the idle timeout and give their places back
		first.blockLast(Duration.ofMinutes(1));
		second.blockLast(Duration.ofMinutes(1));
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> get("live", TestServers.TOKEN)
			.expectStatus().isOk().returnResult(SSE).getResponseBody().blockLast(Duration.ofMinutes(1)));
	}

	@Test
	void needsACredentialAndAPossibleId() {
		client.get().uri("/v1/batch-upload/status/live/events").exchange().expectStatus().isUnauthorized();
		get("not valid!", TestServers.TOKEN).expectStatus()
			.isNotFound()
			.expectBody()
			.json("{\"code\":1203,\"message\":\"Batch ID does not exist or has expired.\"}", true);
		assertThat(asked).isEmpty();
	}

	private static Mono<Void> stream(HttpServerResponse response, Flux<String> chunks) {
		return response.status(200)
			.header("Content-Type", "text/event-stream")
			.sendString(chunks, StandardCharsets.UTF_8)
			.then();
	}

	private WebTestClient.ResponseSpec get(String batchId, String token) {
		return client.get()
			.uri("/v1/batch-upload/status/{id}/events", batchId)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.header("Authorization", "Bearer " + token)
			.exchange();
	}

}
