package dev.intake.local;

import java.net.URI;
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
