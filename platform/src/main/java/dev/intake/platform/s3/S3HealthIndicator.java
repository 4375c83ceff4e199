package dev.intake.platform.s3;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** Readiness: the bucket answers a HEAD. */
class S3HealthIndicator extends AbstractHealthIndicator {

	private final IntakeBucket bucket;

	S3HealthIndicator(IntakeBucket bucket) {
		super("S3 bucket check failed");
		this.bucket = bucket;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		bucket.check();
		builder.up().withDetail("bucket", bucket.name());
	}

}
