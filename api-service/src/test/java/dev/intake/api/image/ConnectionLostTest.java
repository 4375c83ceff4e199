package dev.intake.api.image;

import java.io.IOException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failed GETs of the image origin are sent once more. */
class ConnectionLostTest {

	@Test
	void aConnectionClosedUnderTheRequestIsLost() {
		SdkClientException closed = SdkClientException.builder()
			.message("Unable to execute HTTP request")
			.cause(new IOException("The connection was closed during the request."))
			.build();

		assertThat(ImageOriginController.isConnectionLost(closed)).isTrue();
		assertThat(ImageOriginController.isConnectionLost(new CompletionException(closed))).isTrue();
	}

	@Test
	void aBareConnectionClosedAsTheNettyClientFailsTheGetIsLost() {
		// as a build saw it: "Could not read image: java.io.IOException: The connection was closed
		// during the request. …", the future failed with the I/O error itself
		IOException closed = new IOException("The connection was closed during the request.");

		assertThat(ImageOriginController.isConnectionLost(new CompletionException(closed))).isTrue();
		assertThat(ImageOriginController.isConnectionLost(closed)).isTrue();
	}

	@Test
	void anAnswerOfS3sOrADeadlineIsNotSentAgain() {
		assertThat(ImageOriginController.isConnectionLost(S3Exception.builder().statusCode(500).build())).isFalse();
		assertThat(ImageOriginController
			.isConnectionLost(ApiCallTimeoutException.builder().message("took longer than 30 s").build())).isFalse();
		assertThat(ImageOriginController.isConnectionLost(new IllegalStateException("not an I/O error"))).isFalse();
	}

}
