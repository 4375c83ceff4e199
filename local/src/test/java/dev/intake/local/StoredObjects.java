package dev.intake.local;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** An S3 client of the test's own, independent of Intake's, to read back what Intake stored. */
final class StoredObjects implements AutoCloseable {

	private final S3Client s3;

	StoredObjects(Backends.S3 backend) {
		this.s3 = S3Client.builder()
			.endpointOverride(URI.create(backend.endpoint()))
			.region(Region.US_EAST_1)
			.forcePathStyle(true)
			.credentialsProvider(
					StaticCredentialsProvider.create(AwsBasicCredentials.create(backend.accessKey(), backend.secretKey())))
			.build();
	}

	ResponseBytes<GetObjectResponse> get(String key) {
		return s3.getObjectAsBytes(b -> b.bucket(LocalIntake.BUCKET).key(key));
	}

	/**
	 * The object that holds the original of a public key {@code images/{tenant}/{sha256}.{ext}}:
	 * the key itself when it exists (originals stored before uploads were written once, or a
	 * document), else the one upload of the tenant whose bytes hash to that sha256.
	 */
	ResponseBytes<GetObjectResponse> original(String publicKey) {
		if (!keys(publicKey).isEmpty()) {
			return get(publicKey);
		}
		String[] parts = publicKey.split("/");
		String tenant = parts[1];
		String sha256 = parts[2].substring(0, parts[2].indexOf('.'));
		List<ResponseBytes<GetObjectResponse>> holding = keys("uploads/").stream()
			.filter(key -> key.split("/")[2].equals(tenant))
			.map(this::get)
			.filter(object -> sha256(object.asByteArray()).equals(sha256))
			.toList();
		if (holding.size() != 1) {
			throw new AssertionError(holding.size() + " uploads hold the original " + publicKey);
		}
		return holding.get(0);
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Writes {@code bytes} to {@code key}, as a service of Intake would. */
	void put(String key, byte[] bytes) {
		s3.putObject(b -> b.bucket(LocalIntake.BUCKET).key(key), software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));
	}

	List<String> keys(String prefix) {
		return s3.listObjectsV2Paginator(b -> b.bucket(LocalIntake.BUCKET).prefix(prefix))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

	@Override
	public void close() {
		s3.close();
	}

}
