package dev.intake.status.security;

import java.nio.charset.StandardCharsets;

import dev.intake.contracts.InternalApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/** The internal API behind the shared service credential, over a real socket on 127.0.0.1. */
class InternalTokenFilterTest {

	private static final String TOKEN = "shared-internal-secret";

	private DisposableServer server;

	@BeforeEach
	void start() {
		var handler = WebHttpHandlerBuilder.webHandler(exchange -> {
			exchange.getResponse().setStatusCode(HttpStatus.OK);
			return exchange.getResponse()
				.writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap("reached".getBytes(StandardCharsets.UTF_8))));
		}).filter(new InternalApiConfiguration().internalTokenFilter(new InternalApiProperties(TOKEN))).build();
		server = HttpServer.create().host("127.0.0.1").port(0).handle(new ReactorHttpHandlerAdapter(handler)).bindNow();
	}

	@AfterEach
	void stop() {
		server.disposeNow();
	}

	@Test
	void refusesInternalCallsWithoutTheCredential() {
		assertThat(get(WebClient.create(), "/internal/batches/acme/b-1", null)).isEqualTo(
				"401 {\"code\":1001,\"message\":\"Missing or invalid internal service credential.\"}");
		assertThat(get(WebClient.create(), "/internal/batches/acme/b-1", "wrong")).startsWith("401 ");
		assertThat(get(WebClient.create(), "/internal/batches/acme/b-1", TOKEN + "x")).startsWith("401 ");
	}

	@Test
	void admitsInternalCallsWithTheCredential() {
		assertThat(get(WebClient.create(), "/internal/batches/acme/b-1", TOKEN)).isEqualTo("200 reached");
	}

	@Test
	void leavesOtherPathsOpen() {
		assertThat(get(WebClient.create(), "/actuator/health", null)).isEqualTo("200 reached");
	}

	@Test
	void peerCallsCarryTheCredential() {
		WebClient.Builder builder = WebClient.builder();
		new InternalApiConfiguration().internalTokenOnPeerCalls(new InternalApiProperties(TOKEN)).customize(builder);
		assertThat(get(builder.build(), "/internal/batches/acme/b-1", null)).isEqualTo("200 reached");
	}

	@Test
	void withoutAConfiguredTokenTheInternalApiStaysOpen() {
		server.disposeNow();
		var handler = WebHttpHandlerBuilder.webHandler(exchange -> exchange.getResponse().setComplete())
			.filter(new InternalApiConfiguration().internalTokenFilter(new InternalApiProperties("")))
			.build();
		server = HttpServer.create().host("127.0.0.1").port(0).handle(new ReactorHttpHandlerAdapter(handler)).bindNow();
		assertThat(get(WebClient.create(), "/internal/batches/acme/b-1", null)).isEqualTo("200 ");
	}

	private String get(WebClient client, String path, String token) {
		return client.get()
			.uri("http://127.0.0.1:" + server.port() + path)
			.headers(headers -> {
				if (token != null) {
					headers.set(InternalApi.TOKEN_HEADER, token);
				}
			})
			.exchangeToMono(response -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map(body -> response.statusCode().value() + " " + body))
			.block(java.time.Duration.ofSeconds(30));
	}

}
