package dev.intake.api.staging;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.reactivestreams.Publisher;

import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The staging store on S3: an object given whole is sent with its length, so the S3 client
 * retries it on the errors it deems transient, with its own jittered back-off; a streamed one goes
 * through the multipart-enabled client, which holds at most one part's buffer, and cannot be retried.
 */
record S3StagingStore(S3AsyncClient s3, String bucket) implements StagingStore {

	@Override
	public CompletableFuture<?> put(String key, String contentType, long size, ByteBuffer[] content) {
		return s3.putObject(request(key, contentType).contentLength(size).build(),
				AsyncRequestBody.fromByteBuffersUnsafe(content));
	}

	@Override
	public CompletableFuture<?> put(String key, String contentType, Publisher<ByteBuffer> content) {
		return s3.putObject(request(key, contentType).build(), AsyncRequestBody.fromPublisher(content));
	}

	@Override
	public CompletableFuture<?> copy(String from, String to) {
		return s3.copyObject(
				copy -> copy.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to));
	}

	@Override
	public CompletableFuture<List<String>> delete(List<String> keys) {
		return s3
			.deleteObjects(request -> request.bucket(bucket)
				.delete(delete -> delete.quiet(true)
					.objects(keys.stream().map(key -> ObjectIdentifier.builder().key(key).build()).toList())))
			.thenApply(response -> response.hasErrors()
					? response.errors().stream().map(error -> error.key() + ": " + error.message()).toList()
					: List.of());
	}

	private PutObjectRequest.Builder request(String key, String contentType) {
		return PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType);
	}

}
