package dev.intake.platform.s3;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A store that accepts connections and then says nothing cannot hold an async S3 call: the call
 * fails after the silence timeout (each attempt), or after the API-call timeout, whichever comes
 * first, and never hangs.
 */
class SilentStoreTest {

	private ServerSocket silent;

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	@BeforeEach
	void startSilentStore() throws IOException {
		silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(() -> {
			while (!silent.isClosed()) {
				try {
					// accept and hold the connection; never read, never answer
					accepted.add(silent.accept());
				}
				catch (IOException closed) {
					return;
				}
			}
		}, "silent-store");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	@AfterEach
	void stop() throws IOException {
		silent.close();
		for (Socket socket : accepted) {
			socket.close();
		}
	}

	@Test
	void aSilentStoreFailsAReadAfterTheSilenceTimeout() {
		try (S3AsyncClient s3 = client(Duration.ofMillis(500), Duration.ofMinutes(20))) {
			CompletableFuture<?> read = s3.getObject(get -> get.bucket("intake").key("some/key"),
					AsyncResponseTransformer.toBytes());

			assertThatThrownBy(() -> read.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
			assertThat(accepted).isNotEmpty();
		}
	}

	@Test
	void aSilentStoreFailsAWriteAfterTheSilenceTimeout() {
		try (S3AsyncClient s3 = client(Duration.ofMillis(500), Duration.ofMinutes(20))) {
			CompletableFuture<?> write = s3.putObject(put -> put.bucket("intake").key("some/key"),
					AsyncRequestBody.fromBytes(new byte[4 * 1024 * 1024]));

			assertThatThrownBy(() -> write.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
		}
	}

	@Test
	void theApiCallTimeoutBoundsACallWhateverTheSilenceTimeout() {
		try (S3AsyncClient s3 = client(Duration.ofMinutes(10), Duration.ofSeconds(1))) {
			CompletableFuture<?> read = s3.getObject(get -> get.bucket("intake").key("some/key"),
					AsyncResponseTransformer.toBytes());

			assertThatThrownBy(() -> read.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
				.hasCauseInstanceOf(ApiCallTimeoutException.class);
		}
	}

	private S3AsyncClient client(Duration silence, Duration apiCallTimeout) {
		IntakeS3Properties props = new IntakeS3Properties(URI.create("http://127.0.0.1:" + silent.getLocalPort()),
				"us-east-1", "intake", "access", "secret", true, false, 4, Duration.ofSeconds(30),
				Duration.ofSeconds(5), silence, apiCallTimeout);
		return S3ClientsConfiguration.asyncClient(props, 4, Duration.ofSeconds(5));
	}

}
