package dev.intake.local;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded S3 server under the traffic Intake makes: uploads into new "directories" under
 * a prefix while objects beside them are deleted. S3Proxy's filesystem store removes a
 * directory that a delete leaves empty, which can pull the parent out from under an upload that
 * is creating its own directory in it.
 */
class LocalS3ServerTest {

	@TempDir
	Path dataDir;

	@Test
	void uploadsBesideDeletesAllSucceed() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		try (LocalS3Server server = LocalS3Server.start(dataDir, port);
				S3Client s3 = S3Client.builder()
					.endpointOverride(URI.create(server.endpoint()))
					.region(Region.US_EAST_1)
					.credentialsProvider(StaticCredentialsProvider
						.create(AwsBasicCredentials.create(LocalS3Server.ACCESS_KEY, LocalS3Server.SECRET_KEY)))
					.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
					// every failure counts: no retry hides one
					.overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
					.build()) {
			s3.createBucket(b -> b.bucket("race"));
			ExecutorService pool = Executors.newFixedThreadPool(8);
			try {
				List<Future<?>> work = new ArrayList<>();
				for (int worker = 0; worker < 8; worker++) {
					int id = worker;
					work.add(pool.submit(() -> {
						for (int i = 0; i < 150; i++) {
							String key = "staging/tenant/upload-" + id + "-" + i + "/0";
							s3.putObject(b -> b.bucket("race").key(key), RequestBody.fromString("x"));
							s3.deleteObject(b -> b.bucket("race").key(key));
						}
						return null;
					}));
				}
				for (Future<?> done : work) {
					done.get();
				}
			}
			finally {
				pool.shutdownNow();
			}
			assertThat(s3.listObjectsV2(b -> b.bucket("race")).keyCount()).isZero();
		}
	}

}
