package dev.intake.api.auth;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ApiTokensTest {

	@Test
	void findsTheTenantOfAToken() {
		ApiTokens tokens = new ApiTokens(Map.of("local", "secret-1", "acme", "secret-2"));

		assertThat(tokens.tenantFor("secret-1")).contains("local");
		assertThat(tokens.tenantFor("secret-2")).contains("acme");
		assertThat(tokens.tenantFor("secret-3")).isEmpty();
		assertThat(tokens.tenantFor("")).isEmpty();
	}

	@Test
	void ignoresBlankTokens() {
		Map<String, String> configured = new LinkedHashMap<>();
		configured.put("local", "");
		configured.put("acme", "  ");
		configured.put("none", null);
		ApiTokens tokens = new ApiTokens(configured);

		assertThat(tokens.isEmpty()).isTrue();
		assertThat(tokens.tenantFor("")).isEmpty();
		assertThat(tokens.tenantFor("  ")).isEmpty();
	}

	@Test
	void refusesTenantIdsThatCouldNotBeKeys() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ApiTokens(Map.of("a/b", "secret")));
	}

	@Test
	void refusesOneTokenForTwoTenants() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ApiTokens(Map.of("one", "same", "two", "same")))
			.withMessageContaining("share a token");
	}

}
