package dev.intake.api.webhooks;

import java.nio.charset.StandardCharsets;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code /v1/webhooks} refusing what it cannot take, over HTTP, before it needs the broker (there is
 * none here: a request that gets past its checks answers 503). URLs are address literals, so no
 * host name is looked up.
 */
@ApiServiceTest
class WebhooksRefusalsTest {

	@LocalServerPort
	int port;

	WebTestClient client;

	@BeforeEach
	void setUp() {
		client = TestServers.client(port);
	}

	@Test
	void aPortWrittenWithALeadingZeroIsRefusedNamingTheField() {
		send(HttpMethod.POST, "/v1/webhooks", "application/json",
				"{\"url\":\"https://93.184.216.34:0443/hook\"}".getBytes(StandardCharsets.UTF_8))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"code\":1000,\"message\":\"url is not allowed: its port must be a number from 1 to 65535, "
					+ "without leading zeros.\"}", true);
	}

	private WebTestClient.ResponseSpec send(HttpMethod method, String path, String contentType, byte[] body) {
		return client.method(method)
			.uri(path)
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.header("Content-Type", contentType)
			.bodyValue(body)
			.exchange();
	}

}
