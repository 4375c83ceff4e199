package dev.intake.api.compat.fileservice;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.intake.contracts.ObjectKeys;

import org.springframework.web.util.UriComponentsBuilder;

import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Links that read one version's bytes (or one of its renditions) until they expire: S3 presigned GETs when clients can reach
 * the S3 endpoint, else Intake-signed links to {@code /f/{tenant}/{acl}/{file}} carrying
 * {@code expires} (Unix seconds) and {@code signature}, the HMAC-SHA256 of the object key and the
 * expiry under the signing secret.
 */
final class SignedLinks {

	static final String EXPIRES = "expires";

	static final String SIGNATURE = "signature";

	private static final String HMAC = "HmacSHA256";

	private final FileServiceProperties properties;

	private final S3Presigner presigner;

	private final String bucket;

	private final SecretKeySpec secret;

	private final Clock clock;

	SignedLinks(FileServiceProperties properties, S3Presigner presigner, String bucket, Clock clock) {
		this.properties = properties;
		this.presigner = presigner;
		this.bucket = bucket;
		this.clock = clock;
		byte[] key = properties.signingSecret().isEmpty() ? randomKey()
				: properties.signingSecret().getBytes(StandardCharsets.UTF_8);
		this.secret = new SecretKeySpec(key, HMAC);
	}

	/** Whether the signing secret is one made up by this process. */
	boolean ephemeral() {
		return properties.signingSecret().isEmpty();
	}

	/** A fresh link to a version, valid for the link expiry from now. */
	String link(FileVersion version, URI requestUri) {
		return link(version.key(), version.contentType(), requestUri);
	}

	/**
	 * A fresh link to a version's object or one of its renditions ({@code vault/…} or
	 * {@code vault-renditions/…}), valid for the link expiry from now.
	 */
	String link(String key, String contentType, URI requestUri) {
		if (properties.presignedLinks()) {
			return presigner.presignGetObject(presign -> presign.signatureDuration(properties.linkExpiry())
				.getObjectRequest(get -> get.bucket(bucket).key(key).responseContentType(contentType)))
				.url()
				.toString();
		}
		return originLink(key, clock.instant().plus(properties.linkExpiry()), requestUri);
	}

	/**
	 * An Intake-signed link to {@code key} that expires at {@code expires}: a version's
	 * {@code vault/{tenant}/{acl}/{file}} is {@code /f/{tenant}/{acl}/{file}}, a rendition's
	 * {@code vault-renditions/{tenant}/{acl}/{handle}/{file}} is {@code /f/{tenant}/{acl}/{handle}/{file}}.
	 */
	String originLink(String key, Instant expires, URI requestUri) {
		long at = expires.getEpochSecond();
		URI base = (properties.publicBaseUrl() != null) ? properties.publicBaseUrl()
				: UriComponentsBuilder.fromUri(requestUri).replacePath(null).replaceQuery(null).fragment(null).build().toUri();
		String path = key.startsWith(ObjectKeys.VAULT_RENDITIONS_PREFIX)
				? key.substring(ObjectKeys.VAULT_RENDITIONS_PREFIX.length())
				: key.substring(ObjectKeys.VAULT_PREFIX.length());
		return UriComponentsBuilder.fromUri(base)
			.path(SignedFileController.BASE + path)
			.queryParam(EXPIRES, at)
			.queryParam(SIGNATURE, signature(key, at))
			.build()
			.toUriString();
	}

	/** What a presented link comes to. */
	enum Verdict {

		VALID, TAMPERED, EXPIRED

	}

	Verdict verify(String key, String expires, String signature) {
		long at;
		try {
			at = Long.parseLong(expires);
		}
		catch (NumberFormatException ex) {
			return Verdict.TAMPERED;
		}
		byte[] expected = signature(key, at).getBytes(StandardCharsets.US_ASCII);
		if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
			return Verdict.TAMPERED;
		}
		return clock.instant().isBefore(Instant.ofEpochSecond(at)) ? Verdict.VALID : Verdict.EXPIRED;
	}

	/** How long a link that expires at {@code expires} (Unix seconds) still holds. */
	Duration remaining(String expires) {
		return Duration.between(clock.instant(), Instant.ofEpochSecond(Long.parseLong(expires)));
	}

	private String signature(String key, long expires) {
		try {
			Mac mac = Mac.getInstance(HMAC);
			mac.init(secret);
			return HexFormat.of()
				.formatHex(mac.doFinal((key + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] randomKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return key;
	}

}
