package dev.intake.api.auth;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** API keys, scopes, the tenant of a request and the error shape of requests that never reach a feature. */
@ApiServiceTest
class AuthenticationTest {

	private static final String UNAUTHORIZED = "{\"code\":1001,\"message\":\"Missing or invalid API token.\"}";

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	WebTestClient client;

	WebTestClient management;

	@BeforeEach
	void setUp() {
		client = TestServers.client(port);
		management = TestServers.client(managementPort);
	}

	@Test
	void refusesARequestWithoutToken() {
		client.get()
			.uri("/v1/batch-upload/status/known")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals("WWW-Authenticate", "Bearer")
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.json(UNAUTHORIZED, true);
	}

	@Test
	void refusesAWrongToken() {
		client.get()
			.uri("/v1/batch-upload/status/known")
			.header("Authorization", "Bearer not-the-token")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.json(UNAUTHORIZED, true);
	}

	/** A credential header sent twice is refused, even when one of them holds a valid token. */
	@Test
	void refusesACredentialHeaderSentTwice() {
		client.get()
			.uri("/v1/batch-upload/status/known")
			.header("Authorization", "Bearer " + TestServers.TOKEN, "Bearer not-the-token")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.json(UNAUTHORIZED, true);
		client.get()
			.uri("/v1/batch-upload/status/known")
			.header("Authorization", "Bearer " + TestServers.TOKEN, "Bearer " + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isUnauthorized();
		client.get()
			.uri("/v1/batch-upload/status/known")
			.header(CredentialConverter.API_KEY_HEADER, TestServers.TOKEN, TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void refusesOtherSchemes() {
		client.get()
			.uri("/v1/batch-upload/status/known")
			.header("Authorization", "Digest " + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isUnauthorized();
		client.get()
			.uri("/v1/batch-upload/status/known")
			.header("Authorization", "Basic " + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void acceptsAnApiKeyAsTheBasicPasswordWithAnyUserName() {
		for (String user : new String[] { "any-user", "" }) {
			client.get()
				.uri("/v1/batch-upload/status/known")
				.header("Authorization", basic(user + ":" + TestServers.TOKEN))
				.exchange()
				.expectStatus()
				.isOk();
		}
		client.get()
			.uri("/v1/batch-upload/status/known")
			.header("Authorization", basic(TestServers.TOKEN + ":not-the-token"))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		client.get()
			.uri("/v1/batch-upload/status/known")
			.header("Authorization", basic(TestServers.TOKEN))
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	private static String basic(String pair) {
		return "Basic " + java.util.Base64.getEncoder()
			.encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	@Test
	void refusesUnknownPathsWithoutTokenBeforeSayingTheyDoNotExist() {
		client.get().uri("/nothing/here").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void leavesHealthProbesOpen() {
		management.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
	}

	@Test
	void acceptsAnApiKeyInTheApiKeyHeader() {
		client.get()
			.uri("/v1/batch-upload/status/known")
			.header("X-Api-Key", TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void ignoresAQueryTokenOutsideThePathsThatTakeOne() {
		client.get()
			.uri("/v1/batch-upload/status/known?token=" + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void refusesASubmitWithAReadOnlyKey() {
		client.post()
			.uri("/v1/batch-upload/submit")
			.header("Authorization", "Bearer " + TestServers.READ_ONLY_TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"items\":[{\"type\":\"url\",\"url\":\"https://images.example.com/a.jpg\"}]}")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.valueEquals("WWW-Authenticate", "Bearer error=\"insufficient_scope\"")
			.expectBody()
			.json("{\"code\":1403,\"message\":\"The credential does not grant the scope this request needs.\"}", true);
	}

	@Test
	void refusesAStatusReadWithAWriteOnlyKey() {
		client.get()
			.uri("/v1/batch-upload/status/known")
			.header("Authorization", "Bearer " + TestServers.WRITE_ONLY_TOKEN)
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void takesTheTenantFromTheCredentialOnlyNeverFromHeadersOrQuery() {
		TestServers.statusRequests.clear();
		client.get()
			.uri("/v1/batch-upload/status/spoofed?tenant=local&tenant_id=local")
			.header("Authorization", "Bearer " + TestServers.OTHER_TENANT_TOKEN)
			.header("X-Tenant-Id", "local")
			.header("X-Tenant", "local")
			.exchange()
			.expectStatus()
			.isNotFound();
		org.assertj.core.api.Assertions.assertThat(TestServers.statusRequests).containsExactly("other/spoofed");
	}

	@Test
	void leavesHealthProbesOpenEvenWithAnInvalidToken() {
		management.get()
			.uri("/actuator/health/liveness")
			.header("Authorization", "Bearer not-the-token")
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void answersAKeyOfTheRightLengthButWrongValueLikeAnyWrongKey() {
		String almost = TestServers.TOKEN.substring(0, TestServers.TOKEN.length() - 1) + "X";
		client.get()
			.uri("/v1/batch-upload/status/known")
			.header("Authorization", "Bearer " + almost)
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.json(UNAUTHORIZED, true);
	}

	@Test
	void answersUnknownPathsInTheErrorShape() {
		client.get()
			.uri("/v1/nothing/here")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.json("{\"code\":404,\"message\":\"Not found.\"}", true);
	}

	@Test
	void answersWrongMethodsInTheErrorShape() {
		client.get()
			.uri("/v1/batch-upload/submit-with-files")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isEqualTo(405)
			.expectHeader()
			.exists("Allow")
			.expectBody()
			.json("{\"code\":405,\"message\":\"Method not allowed.\"}", true);
	}

	@Test
	void servesPrometheusMetricsOnTheManagementPortWithoutAToken() {
		org.assertj.core.api.Assertions.assertThat(managementPort).isNotEqualTo(port);
		management.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value(body -> org.assertj.core.api.Assertions.assertThat(body).contains("intake_upload_staging_active",
					"intake_upload_staging_unauthenticated"));
	}

	@Test
	void servesNoActuatorOnThePublicPort() {
		client.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
		client.get()
			.uri("/actuator/prometheus")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isNotFound();
		client.get()
			.uri("/actuator/health/readiness")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	@Test
	void servesNoApiOnTheManagementPort() {
		management.get()
			.uri("/v1/batch-upload/status/known")
			.header("Authorization", "Bearer " + TestServers.TOKEN)
			.exchange()
			.expectStatus()
			.isNotFound();
	}

}
