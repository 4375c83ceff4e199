package dev.intake.platform.s3;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Readiness: the bucket answers a HEAD, through the synchronous client and through the shared
 * async client's connection pool. A pool whose connections are all taken answers nothing within
 * its acquire timeout, and the service reports itself not ready instead of failing uploads.
 */
class S3HealthIndicator extends AbstractHealthIndicator {

	private final IntakeBucket bucket;

	private final S3AsyncClient async;

	private final Duration acquireTimeout;

	S3HealthIndicator(IntakeBucket bucket, S3AsyncClient async, Duration acquireTimeout) {
		super("S3 bucket check failed");
		this.bucket = bucket;
		this.async = async;
		this.acquireTimeout = acquireTimeout;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		bucket.check();
		builder.withDetail("bucket", bucket.name());
		if (async != null) {
			try {
				async.headBucket(head -> head.bucket(bucket.name()))
					.get(acquireTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException ex) {
				builder.down().withDetail("pool", exhausted());
				return;
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof SdkClientException client && client.getMessage() != null
						&& client.getMessage().contains("Acquire operation took longer")) {
					builder.down().withDetail("pool", exhausted());
					return;
				}
				throw (ex.getCause() instanceof Exception cause) ? cause : ex;
			}
		}
		builder.up();
	}

	private String exhausted() {
		return "no S3 connection available within " + acquireTimeout.toSeconds()
				+ " s: the connection pool is exhausted or the store is not answering";
	}

}
