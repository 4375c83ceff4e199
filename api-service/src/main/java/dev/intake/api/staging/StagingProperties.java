package dev.intake.api.staging;

import jakarta.validation.constraints.AssertTrue;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How uploads are written to the staging area ({@code intake.staging.*}).
 *
 * @param retryBufferSize a file, archive entry or Base64 item up to this size is kept in memory
 * until it is stored, so that a transient store error (5xx, throttling, a dropped connection, a
 * timeout) is retried with back-off instead of failing the request; larger ones are streamed to the
 * store as they arrive and fail the request with 503 on such an error; 0 streams everything
 * @param maxRetryBuffers memory all uploads of this instance together keep for retries at most; an
 * upload that finds it used up is streamed
 */
@Validated
@ConfigurationProperties("intake.staging")
public record StagingProperties(@DefaultValue("1MB") DataSize retryBufferSize,
		@DefaultValue("16MB") DataSize maxRetryBuffers) {

	/** Above it the S3 client would split the upload into parts it cannot replay. */
	static final long MAX_RETRY_BUFFER = 5L * 1024 * 1024;

	@AssertTrue(message = "retry-buffer-size must be between 0 and 5MB")
	boolean isRetryBufferSizeInRange() {
		return retryBufferSize.toBytes() >= 0 && retryBufferSize.toBytes() <= MAX_RETRY_BUFFER;
	}

}
