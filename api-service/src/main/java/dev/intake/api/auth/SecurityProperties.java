package dev.intake.api.auth;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Credentials the API accepts ({@code intake.security.*}): hashed API keys and JWT bearer tokens.
 *
 * @param apiKeys API keys by a name of the operator's choosing, each with {@code .tenant},
 * {@code .hash} ({@code sha256:<hex>} of the key, see {@code ApiKeyTool}) and {@code .scopes}
 * (default {@code images:read,images:write}), e.g.
 * {@code intake.security.api-keys.shop-backend.hash=sha256:…}; remove an entry to revoke it
 * @param jwt JWT bearer tokens; off until an HMAC secret or a JWK set URI is configured
 * @param queryTokenPaths paths that may also carry the credential as {@code ?token=} (the AnqiCMS
 * attachment upload sends it that way); everywhere else a query token is ignored
 */
@ConfigurationProperties("intake.security")
record SecurityProperties(Map<String, ApiKey> apiKeys, @DefaultValue Jwt jwt,
		@DefaultValue("/attachment/upload") List<String> queryTokenPaths) {

	SecurityProperties {
		apiKeys = (apiKeys != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(apiKeys)) : Map.of();
		queryTokenPaths = (queryTokenPaths != null) ? List.copyOf(queryTokenPaths) : List.of();
	}

	/**
	 * One API key, stored only as its hash.
	 *
	 * @param tenant the tenant every request with this key acts for
	 * @param hash {@code sha256:<64 hex digits>} of the key (see {@link ApiKeyTool})
	 * @param scopes what the key may do: {@code images:read}, {@code images:write}, or
	 * {@code images} for both, and {@code webhooks:manage} (webhook subscriptions)
	 */
	record ApiKey(String tenant, String hash, @DefaultValue({ "images:read", "images:write" }) Set<String> scopes) {
	}

	/**
	 * JWT bearer tokens (RFC 8725): issuer and audience are always checked, the algorithm comes
	 * from a fixed allow-list (HS256 with {@code hmacSecret}, RS256 and ES256 with
	 * {@code jwkSetUri}), {@code exp} is required and {@code nbf} honoured.
	 *
	 * @param issuer the only accepted {@code iss}; required when JWTs are on
	 * @param audiences accepted {@code aud} values, one must be present; required when JWTs are on
	 * @param hmacSecret Base64 of at least 32 random bytes (256 bits) for HS256; a shorter key
	 * stops the start-up
	 * @param jwkSetUri where the issuer's public keys (RS256, ES256) are fetched from
	 * @param tenantClaim the claim naming the tenant
	 * @param clockSkew tolerance when checking {@code exp} and {@code nbf}
	 */
	record Jwt(String issuer, List<String> audiences, String hmacSecret, String jwkSetUri,
			@DefaultValue("tenant") String tenantClaim, @DefaultValue("30s") Duration clockSkew) {

		Jwt {
			audiences = (audiences != null) ? audiences.stream().filter(aud -> !aud.isBlank()).toList() : List.of();
		}

		boolean enabled() {
			return hasHmacSecret() || hasJwkSet();
		}

		boolean hasHmacSecret() {
			return hmacSecret != null && !hmacSecret.isBlank();
		}

		boolean hasJwkSet() {
			return jwkSetUri != null && !jwkSetUri.isBlank();
		}

	}

}
