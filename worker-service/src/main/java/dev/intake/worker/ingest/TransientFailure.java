package dev.intake.worker.ingest;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * An infrastructure failure that may pass (storage or broker unreachable, slow or overloaded).
 * The one exception type the job listener's error handler retries with back-off; every other
 * failure of a job is final.
 */
public class TransientFailure extends RuntimeException {

	public TransientFailure(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * An S3 SDK exception as the worker must treat it: client-side failures (connection,
	 * timeout) and 408, 429 and 5xx answers become a {@link TransientFailure}; anything else is
	 * returned unchanged, to be thrown as an unexpected failure.
	 */
	static RuntimeException fromS3(String operation, SdkException ex) {
		if (ex instanceof SdkClientException || ex.retryable()
				|| (ex instanceof SdkServiceException service && isTransientStatus(service.statusCode()))) {
			return new TransientFailure("S3 " + operation + " failed: " + ex.getMessage(), ex);
		}
		return ex;
	}

	private static boolean isTransientStatus(int status) {
		return status == 408 || status == 429 || status >= 500;
	}

}
