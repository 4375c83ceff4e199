package dev.intake.api.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** JWT bearer tokens against the RFC 8725 pitfalls (catalogue rows 65 to 67). */
@ApiServiceTest
class JwtAuthenticationTest {

	private static final String UNAUTHORIZED = "{\"code\":1001,\"message\":\"Missing or invalid API token.\"}";

	@LocalServerPort
	int port;

	WebTestClient client;

	@BeforeEach
	void setUp() {
		client = TestServers.client(port);
	}

	@Test
	void acceptsHs256Rs256AndEs256TokensOfTheConfiguredIssuer() {
		JWTClaimsSet claims = TestIssuer.claims(c -> {
		});
		for (String token : List.of(TestIssuer.hs256(claims), TestIssuer.rs256(claims), TestIssuer.es256(claims))) {
			status(token).expectStatus().isOk();
		}
		TestServers.statusRequests.remove("local/known");
	}

	@ParameterizedTest
	@ValueSource(strings = { "none", "NONE", "nOnE" })
	void refusesUnsignedTokens(String algorithm) {
		String header = base64Url("{\"alg\":\"" + algorithm + "\",\"typ\":\"JWT\"}");
		String payload = base64Url(TestIssuer.claims(c -> {
		}).toString());
		refused(header + "." + payload + ".");
	}

	@Test
	void refusesHs256SignedWithThePublicRsaKey() {
		byte[] publicKey = TestIssuer.RSA.getPublic().getEncoded();
		refused(TestIssuer.sign(JWSAlgorithm.HS256, TestIssuer.hmacSigner(publicKey), TestIssuer.claims(c -> {
		}), "rsa-1"));
	}

	@Test
	void refusesHs256SignedWithAGuessedSecret() {
		byte[] guess = "passwordpasswordpasswordpassword".getBytes(StandardCharsets.US_ASCII);
		refused(TestIssuer.sign(JWSAlgorithm.HS256, TestIssuer.hmacSigner(guess), TestIssuer.claims(c -> {
		}), null));
	}

	@Test
	void refusesAlgorithmsOutsideTheAllowList() {
		refused(TestIssuer.sign(JWSAlgorithm.HS512,
				TestIssuer.hmacSigner("0123456789abcdef".repeat(4).getBytes(StandardCharsets.US_ASCII)),
				TestIssuer.claims(c -> {
				}), null));
	}

	@Test
	void refusesATokenForAnotherAudience() {
		refused(TestIssuer.rs256(TestIssuer.claims(c -> c.audience("sibling-service"))));
		refused(TestIssuer.rs256(TestIssuer.claims(c -> c.audience((String) null))));
	}

	@Test
	void refusesATokenOfAnotherIssuer() {
		refused(TestIssuer.hs256(TestIssuer.claims(c -> c.issuer("https://evil.test"))));
	}

	@Test
	void refusesAnExpiredToken() {
		Instant past = Instant.now().minusSeconds(600);
		refused(TestIssuer.es256(TestIssuer.claims(c -> c.expirationTime(Date.from(past)))));
	}

	@Test
	void refusesATokenWithoutExpiry() {
		refused(TestIssuer.es256(TestIssuer.claims(c -> c.expirationTime(null))));
	}

	@Test
	void refusesATokenNotYetValid() {
		Instant future = Instant.now().plusSeconds(600);
		refused(TestIssuer.rs256(TestIssuer.claims(c -> c.notBeforeTime(Date.from(future)))));
	}

	@Test
	void refusesATokenWithoutAValidTenant() {
		refused(TestIssuer.rs256(TestIssuer.claims(c -> c.claim("tenant", null))));
		refused(TestIssuer.rs256(TestIssuer.claims(c -> c.claim("tenant", "../other"))));
	}

	@Test
	void mapsTheSeedScopeImagesOntoReadAndWrite() {
		status(TestIssuer.rs256(TestIssuer.claims(c -> c.claim("scope", "images")))).expectStatus().isOk();
		TestServers.statusRequests.remove("local/known");
	}

	@Test
	void refusesAReadWithoutTheReadScope() {
		status(TestIssuer.rs256(TestIssuer.claims(c -> c.claim("scope", "images:write profile")))).expectStatus()
			.isForbidden()
			.expectBody()
			.json("{\"code\":1403}");
	}

	@Test
	void refusesAWeakHmacKeyAtStartUp() {
		String weak = Base64.getEncoder().encodeToString("secret".getBytes(StandardCharsets.US_ASCII));
		String almost = Base64.getEncoder().encodeToString(new byte[31]);
		for (String secret : List.of(weak, almost, "not base64!")) {
			assertThatIllegalStateException().isThrownBy(() -> new JwtDecoding(new SecurityProperties.Jwt(
					TestIssuer.ISSUER, List.of(TestIssuer.AUDIENCE), secret, null, "tenant", java.time.Duration.ZERO)))
				.withMessageContaining("intake.security.jwt.hmac-secret");
		}
	}

	@Test
	void refusesToStartWithoutIssuerOrAudience() {
		assertThatIllegalStateException().isThrownBy(() -> new JwtDecoding(new SecurityProperties.Jwt(null,
				List.of(TestIssuer.AUDIENCE), TestIssuer.HMAC_SECRET, null, "tenant", java.time.Duration.ZERO)))
			.withMessageContaining("issuer");
		assertThatIllegalStateException().isThrownBy(() -> new JwtDecoding(new SecurityProperties.Jwt(
				TestIssuer.ISSUER, List.of(), TestIssuer.HMAC_SECRET, null, "tenant", java.time.Duration.ZERO)))
			.withMessageContaining("audiences");
	}

	private WebTestClient.ResponseSpec status(String token) {
		return client.get().uri("/v1/batch-upload/status/known").header("Authorization", "Bearer " + token).exchange();
	}

	private void refused(String token) {
		status(token).expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals("WWW-Authenticate", "Bearer")
			.expectBody()
			.json(UNAUTHORIZED, true);
	}

	private static String base64Url(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

}
