package dev.intake.api.auth;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.intake.contracts.BatchKey;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * JWT verification per RFC 8725: the algorithm is read from the header only to pick a verifier
 * from a fixed allow-list (HS256 with the configured secret, RS256 or ES256 with the configured
 * JWK set), so {@code none} and HS/RS confusion have nowhere to go; issuer, audience, {@code exp}
 * and {@code nbf} are always validated. Keys are never taken from the token ({@code jku},
 * {@code x5u}, {@code jwk} are ignored).
 */
final class JwtDecoding implements ReactiveJwtDecoder {

	/** Shortest accepted HMAC key (RFC 7518 §3.2: at least the hash size; RFC 8725 §3.5). */
	static final int MIN_HMAC_KEY_BYTES = 32;

	private final ReactiveJwtDecoder hmac;

	private final ReactiveJwtDecoder jwkSet;

	private final String tenantClaim;

	JwtDecoding(SecurityProperties.Jwt settings) {
		if (settings.issuer() == null || settings.issuer().isBlank()) {
			throw new IllegalStateException("intake.security.jwt.issuer must be set when JWTs are accepted");
		}
		if (settings.audiences().isEmpty()) {
			throw new IllegalStateException("intake.security.jwt.audiences must be set when JWTs are accepted");
		}
		OAuth2TokenValidator<Jwt> validator = validator(settings);
		this.hmac = settings.hasHmacSecret() ? hmacDecoder(settings.hmacSecret(), validator) : null;
		this.jwkSet = settings.hasJwkSet() ? jwkSetDecoder(settings, validator) : null;
		this.tenantClaim = settings.tenantClaim();
	}

	@Override
	public Mono<Jwt> decode(String token) {
		return Mono.defer(() -> verifierFor(token).decode(token));
	}

	private ReactiveJwtDecoder verifierFor(String token) {
		JWT parsed;
		try {
			parsed = JWTParser.parse(token);
		}
		catch (ParseException ex) {
			throw new BadJwtException("Malformed token");
		}
		if (!(parsed instanceof SignedJWT signed)) {
			throw new BadJwtException("Unsigned or encrypted tokens are not accepted");
		}
		JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
		ReactiveJwtDecoder verifier = null;
		if (JWSAlgorithm.HS256.equals(algorithm)) {
			verifier = hmac;
		}
		else if (JWSAlgorithm.RS256.equals(algorithm) || JWSAlgorithm.ES256.equals(algorithm)) {
			verifier = jwkSet;
		}
		if (verifier == null) {
			throw new BadJwtException("Algorithm not accepted");
		}
		return verifier;
	}

	/** The verified credential a decoded token stands for. */
	Mono<TenantAuthentication> authentication(Jwt jwt) {
		Object tenant = jwt.getClaims().get(tenantClaim);
		if (!(tenant instanceof String id) || !BatchKey.TENANT.matcher(id).matches()) {
			return Mono.error(new BadCredentialsException("Token names no valid tenant"));
		}
		List<String> scopes = new ArrayList<>();
		if (jwt.getClaims().get("scope") instanceof String spaced) {
			scopes.addAll(List.of(spaced.split(" ")));
		}
		if (jwt.getClaims().get("scp") instanceof Collection<?> list) {
			list.forEach(scope -> scopes.add(String.valueOf(scope)));
		}
		return Mono.just(new TenantAuthentication(id, "jwt " + Objects.toString(jwt.getSubject(), "-"),
				Scopes.authorities(scopes)));
	}

	private static OAuth2TokenValidator<Jwt> validator(SecurityProperties.Jwt settings) {
		List<String> audiences = settings.audiences();
		return new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(settings.clockSkew()),
				new JwtClaimValidator<Object>(JwtClaimNames.EXP, Objects::nonNull),
				new JwtIssuerValidator(settings.issuer()),
				new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD,
						aud -> aud != null && aud.stream().anyMatch(audiences::contains)));
	}

	private static ReactiveJwtDecoder hmacDecoder(String secret, OAuth2TokenValidator<Jwt> validator) {
		byte[] key;
		try {
			key = Base64.getDecoder().decode(secret.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("intake.security.jwt.hmac-secret must be Base64");
		}
		if (key.length < MIN_HMAC_KEY_BYTES) {
			throw new IllegalStateException("intake.security.jwt.hmac-secret is " + (key.length * 8)
					+ " bits; HS256 needs a random key of at least 256 bits (e.g. openssl rand -base64 32)");
		}
		SecretKey secretKey = new SecretKeySpec(key, "HmacSHA256");
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withSecretKey(secretKey)
			.macAlgorithm(MacAlgorithm.HS256)
			.build();
		decoder.setJwtValidator(validator);
		return decoder;
	}

	private static ReactiveJwtDecoder jwkSetDecoder(SecurityProperties.Jwt settings,
			OAuth2TokenValidator<Jwt> validator) {
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(settings.jwkSetUri().strip())
			.jwsAlgorithm(SignatureAlgorithm.RS256)
			.jwsAlgorithm(SignatureAlgorithm.ES256)
			.build();
		decoder.setJwtValidator(validator);
		return decoder;
	}

}
