package dev.intake.api.auth;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * A token issuer for tests: an HMAC secret, an RSA and an EC key pair (public halves served as a
 * JWK set by {@code TestServers}), and signed tokens with claims a test can change.
 */
public final class TestIssuer {

	public static final String ISSUER = "https://issuer.intake.test";

	public static final String AUDIENCE = "intake-api";

	/** 32 bytes ("0123456789abcdef" twice), Base64: the shortest accepted HS256 key. */
	public static final String HMAC_SECRET = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

	static final KeyPair RSA = generate("RSA", null);

	static final KeyPair EC = generate("EC", new ECGenParameterSpec("secp256r1"));

	private TestIssuer() {
	}

	/** The public keys, as the issuer would publish them. */
	public static String jwkSetJson() {
		RSAKey rsa = new RSAKey.Builder((RSAPublicKey) RSA.getPublic()).keyID("rsa-1").build();
		ECKey ec = new ECKey.Builder(Curve.P_256, (ECPublicKey) EC.getPublic()).keyID("ec-1").build();
		return new JWKSet(java.util.List.of(rsa, ec)).toString(true);
	}

	/** Valid claims for tenant {@code local} with both scopes, changed by {@code change}. */
	public static JWTClaimsSet claims(Consumer<JWTClaimsSet.Builder> change) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER)
			.audience(AUDIENCE)
			.subject("client-1")
			.claim("tenant", "local")
			.claim("scope", "images:read images:write")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)));
		change.accept(claims);
		return claims.build();
	}

	public static String hs256(JWTClaimsSet claims) {
		return sign(JWSAlgorithm.HS256, hmacSigner(Base64.getDecoder().decode(HMAC_SECRET)), claims, null);
	}

	static String rs256(JWTClaimsSet claims) {
		return sign(JWSAlgorithm.RS256, new RSASSASigner((RSAPrivateKey) RSA.getPrivate()), claims, "rsa-1");
	}

	static String es256(JWTClaimsSet claims) {
		try {
			return sign(JWSAlgorithm.ES256, new ECDSASigner((ECPrivateKey) EC.getPrivate()), claims, "ec-1");
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static JWSSigner hmacSigner(byte[] key) {
		try {
			return new MACSigner(key);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String sign(JWSAlgorithm algorithm, JWSSigner signer, JWTClaimsSet claims, String keyId) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(keyId).build(),
					claims);
			jwt.sign(signer);
			return jwt.serialize();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static KeyPair generate(String algorithm, ECGenParameterSpec spec) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
			if (spec != null) {
				generator.initialize(spec);
			}
			else {
				generator.initialize(2048);
			}
			return generator.generateKeyPair();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
