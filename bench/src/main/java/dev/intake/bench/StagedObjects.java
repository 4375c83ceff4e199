package dev.intake.bench;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The staged (claim-checked, not yet ingested) objects in Intake's bucket, listed by every
 * prefix staged uploads are kept under, with their age from the object's last-modified time.
 */
final class StagedObjects {

	/** Every key prefix under which the api stages uploads for the worker. */
	static final List<String> PREFIXES = List.of("staging/", "uploads/");

	/** One staged object and how long ago it was written. */
	record Staged(String key, long size, Duration age) {
	}

	private StagedObjects() {
	}

	static List<Staged> list(String s3Endpoint) {
		Instant now = Instant.now();
		List<Staged> staged = new ArrayList<>();
		try (S3Client s3 = S3Client.builder()
			.endpointOverride(URI.create(s3Endpoint))
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider
				.create(AwsBasicCredentials.create(DirectPut.ACCESS_KEY, DirectPut.SECRET_KEY)))
			.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
			.build()) {
			for (String prefix : PREFIXES) {
				ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(DirectPut.BUCKET).prefix(prefix).build();
				for (S3Object object : s3.listObjectsV2Paginator(request).contents()) {
					staged.add(new Staged(object.key(), object.size(), Duration.between(object.lastModified(), now)));
				}
			}
		}
		return staged;
	}

}
