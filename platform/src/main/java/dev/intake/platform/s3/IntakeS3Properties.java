package dev.intake.platform.s3;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where Intake keeps its objects ({@code intake.s3.*}). Any S3-compatible store works: set
 * {@code endpoint} and keep {@code path-style} for MinIO, Ceph or S3Proxy; leave {@code endpoint}
 * empty for AWS S3, and leave the keys empty to use the default AWS credentials chain.
 *
 * @param endpoint the S3 API's URL, e.g. {@code http://minio:9000}; empty for AWS S3
 * @param region the region requests are signed for
 * @param bucket the one bucket Intake writes to
 * @param accessKey static access key; empty for the default AWS credentials chain
 * @param secretKey static secret key; empty for the default AWS credentials chain
 * @param pathStyle path-style addressing ({@code endpoint/bucket/key}), as most S3-compatible
 * stores want
 * @param createBucket create the bucket at start-up when it is missing (local and compose runs)
 * @param maxConnections connections of the shared S3 pool of one service instance
 * @param apiCallTimeout longest a synchronous S3 call may take, retries included
 * @param connectionAcquireTimeout longest an async call waits for a pooled connection; readiness
 *        reports the pool exhausted when its own check waits this long
 * @param silenceTimeout longest an async call waits for the store to read what it sends or to
 *        answer; a store that accepts a connection and goes silent fails the call after it
 * @param asyncApiCallTimeout longest an async call may take, retries included; above the
 *        api-service's body deadline, since an upload streams into S3 as fast as its client sends
 */
@Validated
@ConfigurationProperties("intake.s3")
public record IntakeS3Properties(URI endpoint, @DefaultValue("us-east-1") @NotBlank String region,
		@DefaultValue("intake") @NotBlank String bucket, String accessKey, String secretKey,
		@DefaultValue("true") boolean pathStyle, @DefaultValue("false") boolean createBucket,
		@DefaultValue("64") int maxConnections, @DefaultValue("30s") Duration apiCallTimeout,
		@DefaultValue("10s") Duration connectionAcquireTimeout, @DefaultValue("30s") Duration silenceTimeout,
		@DefaultValue("20m") Duration asyncApiCallTimeout) {
}
