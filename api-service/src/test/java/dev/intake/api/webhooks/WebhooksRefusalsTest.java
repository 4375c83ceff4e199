package dev.intake.api.webhooks;

import java.nio.charset.StandardCharsets;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /v1/webhooks} refusing what it cannot take, over HTTP, before it needs the broker (there is
 * none here: a request that gets past its checks answers 503). URLs are address literals, so no
 * host name is looked up.
 */
@ApiServiceTest
class WebhooksRefusalsTest {

	private static final String NOT_UTF8 = "{\"code\":415,\"message\":\"The request must be application/json (in UTF-8).\"}";

	private static final String PATCH_NOT_UTF8 = "{\"code\":415,\"message\":\"The request must be application/json or "
			+ "application/merge-patch+json (in UTF-8).\"}";

	private static final String UNKNOWN_FIELD = "{\"code\":1000,\"message\":\"The body has an unknown field 'secret'; "
			+ "the fields are url, events, description, enabled.\"}";

	@LocalServerPort
	int port;

	WebTestClient client;

	@BeforeEach
	void setUp() {
		client = TestServers.client(port);
	}

	/**
	 * A body that says it is in another charset than UTF-8 would be misread (or refused as not JSON)
	 * when read as UTF-8, so it is refused for its charset; UTF-8 and its ASCII subset are read.
	 */
	@Test
	void onlyABodyInUtf8IsRead() {
		byte[] latin1 = "{\"url\":\"https://93.184.216.34/hook\",\"description\":\"café\"}"
			.getBytes(StandardCharsets.ISO_8859_1);
		send(HttpMethod.POST, "/v1/webhooks", "application/json; charset=ISO-8859-1", latin1).expectStatus()
			.isEqualTo(415)
			.expectBody()
			.json(NOT_UTF8, true);
		byte[] utf16 = "{\"url\":\"https://93.184.216.34/hook\"}".getBytes(StandardCharsets.UTF_16BE);
		send(HttpMethod.POST, "/v1/webhooks", "application/json; charset=UTF-16BE", utf16).expectStatus()
			.isEqualTo(415)
			.expectBody()
			.json(NOT_UTF8, true);
		for (String type : new String[] { "application/json; charset=UTF-16BE", "application/merge-patch+json; charset=UTF-16BE" }) {
			send(HttpMethod.PATCH, "/v1/webhooks/wh_1", type, utf16).expectStatus()
				.isEqualTo(415)
				.expectBody()
				.json(PATCH_NOT_UTF8, true);
		}

		byte[] body = "{\"url\":\"https://93.184.216.34/hook\",\"secret\":\"whsec_mine\"}".getBytes(StandardCharsets.UTF_8);
		for (String type : new String[] { "application/json", "application/json; charset=utf-8",
				"application/json; charset=US-ASCII" }) {
			send(HttpMethod.POST, "/v1/webhooks", type, body).expectStatus()
				.isBadRequest()
				.expectBody()
				.json(UNKNOWN_FIELD, true);
		}
	}

	/** A merge patch is read as the JSON body is (see the PATCH semantics in docs/events.md). */
	@Test
	void aPatchMayBeAMergePatch() {
		byte[] body = "{\"description\":null,\"secret\":\"whsec_mine\"}".getBytes(StandardCharsets.UTF_8);
		send(HttpMethod.PATCH, "/v1/webhooks/wh_1", "application/merge-patch+json", body).expectStatus()
			.isBadRequest()
			.expectBody()
			.json(UNKNOWN_FIELD, true);
		send(HttpMethod.PATCH, "/v1/webhooks/wh_1", "application/merge-patch+json; charset=utf-8", body).expectStatus()
			.isBadRequest();
		// a merge patch creates nothing
		send(HttpMethod.POST, "/v1/webhooks", "application/merge-patch+json",
				"{\"url\":\"https://93.184.216.34/hook\"}".getBytes(StandardCharsets.UTF_8))
			.expectStatus()
			.isEqualTo(415);
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

	/** An unknown event type is shown as sent, but for characters that would print as something else. */
	@Test
	void anUnknownEventTypeIsShownReadably() {
		send(HttpMethod.POST, "/v1/webhooks", "application/json",
				"{\"url\":\"https://93.184.216.34/hook\",\"events\":[\"dev.intake.bätch\\u001b[2J\"]}"
					.getBytes(StandardCharsets.UTF_8))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.message")
			.value(message -> assertThat((String) message)
				.startsWith("events: unknown event type 'dev.intake.bätch\uFFFD[2J'; known types: "));
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
