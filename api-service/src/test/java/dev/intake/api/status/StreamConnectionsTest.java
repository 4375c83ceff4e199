package dev.intake.api.status;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live progress streams hold connections to the status-service of their own: with all of them
 * open, one more stream is 503 after the look-up deadline, while a status look-up is answered at once.
 */
@ApiServiceTest
@ContextConfiguration(initializers = StreamConnectionsTest.OneStreamConnection.class)
class StreamConnectionsTest {

	private static final String PENDING = "{\"batch_id\":\"held\",\"processed_count\":0,\"status\":\"TASK_PENDING\"}";

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	static DisposableServer statusService = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.route(routes -> routes
			.get("/internal/batches/{tenant}/{batchId}/events", (request, response) -> response.status(200)
				.header("Content-Type", "text/event-stream")
				.sendString(Flux.concat(Flux.just("event:status\ndata:" + PENDING + "\n\n"), Flux.never()),
						StandardCharsets.UTF_8)
				.then())
			.get("/internal/batches/{tenant}/{batchId}", (request, response) -> response.status(200)
				.header("Content-Type", "application/json")
				.sendString(Mono.just("{\"code\":200,\"message\":\"success\",\"data\":" + PENDING + "}"))
				.then()))
		.bindNow();

	@LocalServerPort
	int port;

	static final class OneStreamConnection implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			new TestServers.Initializer().initialize(context);
			TestPropertyValues
				.of("intake.status-service.base-url=http://127.0.0.1:" + statusService.port(),
						"intake.status-service.max-event-streams=1", "intake.status-service.timeout=2s",
						"intake.status-service.events-idle-timeout=60s")
				.applyTo(context);
		}

	}

	@AfterAll
	static void stopStatusService() {
		statusService.disposeNow();
	}

	@Test
	void openStreamsDoNotHoldUpLookUps() throws Exception {
		WebTestClient client = TestServers.client(port);
		Flux<ServerSentEvent<String>> held = client.get()
			.uri("/v1/batch-upload/status/held/events")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(SSE)
			.getResponseBody();
		// kept open (reading its first event only would cancel it)
		CompletableFuture<ServerSentEvent<String>> first = new CompletableFuture<>();
		Disposable reading = held.subscribe(first::complete);
		assertThat(first.get(30, TimeUnit.SECONDS).data()).isEqualTo(PENDING);

		// the one stream connection is taken: another stream waits for it up to the deadline, then 503
		client.get()
			.uri("/v1/batch-upload/status/other/events")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.exists("Retry-After");

		// a look-up does not wait for it
		long start = System.nanoTime();
		client.get()
			.uri("/v1/batch-upload/status/held")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data.status")
			.isEqualTo("TASK_PENDING");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		reading.dispose();
	}

}
