package dev.intake.api.auth;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Hashed API keys: look-up, scopes and the configuration mistakes that stop the start-up. */
class ApiKeysTest {

	@Test
	void findsTheTenantAndScopesOfAKeyByItsHash() {
		String key = ApiKeyTool.newKey(new SecureRandom());
		ApiKeys keys = new ApiKeys(Map.of("shop", new SecurityProperties.ApiKey("acme", ApiKeys.hash(key), Set.of("images"))));

		TenantAuthentication verified = keys.authenticate(key).orElseThrow();
		assertThat(verified.tenant()).isEqualTo("acme");
		assertThat(verified.getName()).isEqualTo("api-key shop").doesNotContain(key);
		assertThat(verified.getAuthorities()).extracting(Object::toString)
			.containsExactlyInAnyOrder(Scopes.READ_AUTHORITY, Scopes.WRITE_AUTHORITY);
		assertThat(keys.authenticate(key + "x")).isEmpty();
		assertThat(keys.authenticate(ApiKeys.hash(key))).isEmpty();
	}

	@Test
	void newKeysAreLongAndDifferent() {
		SecureRandom random = new SecureRandom();
		String one = ApiKeyTool.newKey(random);
		assertThat(one).startsWith("ik_").hasSize(46).isNotEqualTo(ApiKeyTool.newKey(random));
	}

	@Test
	void skipsKeysWithoutAHash() {
		assertThat(new ApiKeys(Map.of("off", new SecurityProperties.ApiKey("local", "", Set.of("images")))).size())
			.isZero();
	}

	@Test
	void refusesMisconfiguredKeys() {
		String hash = ApiKeys.hash("k");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ApiKeys(Map.of("plain", new SecurityProperties.ApiKey("acme", "k", Set.of("images")))))
			.withMessageContaining("intake.security.api-keys.plain.hash");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ApiKeys(Map.of("t", new SecurityProperties.ApiKey("a/b", hash, Set.of("images")))))
			.withMessageContaining("tenant");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ApiKeys(Map.of("s", new SecurityProperties.ApiKey("acme", hash, Set.of("admin")))))
			.withMessageContaining("unknown scope 'admin'");
		Map<String, SecurityProperties.ApiKey> twice = new LinkedHashMap<>();
		twice.put("a", new SecurityProperties.ApiKey("acme", hash, Set.of("images")));
		twice.put("b", new SecurityProperties.ApiKey("other", hash.toUpperCase().replace("SHA256", "sha256"), Set.of("images")));
		assertThatIllegalArgumentException().isThrownBy(() -> new ApiKeys(twice)).withMessageContaining("same hash");
	}

}
