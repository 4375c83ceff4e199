package dev.intake.local;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntUnaryOperator;

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

	/**
	 * With a metrics port the server counts what it receives by S3 operation (the benchmark's S3
	 * requests per image come from here).
	 */
	@Test
	void countsTheRequestsItReceivesByOperation() throws Exception {
		int[] metricsPort = new int[1];
		try (LocalS3Server server = onFreePorts(metrics -> {
			metricsPort[0] = metrics;
			return metrics;
		});
				S3Client s3 = S3Client.builder()
					.endpointOverride(URI.create(server.endpoint()))
					.region(Region.US_EAST_1)
					.credentialsProvider(StaticCredentialsProvider
						.create(AwsBasicCredentials.create(LocalS3Server.ACCESS_KEY, LocalS3Server.SECRET_KEY)))
					.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
					.build()) {
			s3.createBucket(b -> b.bucket("counted"));
			for (int i = 0; i < 3; i++) {
				String key = "k/" + i;
				s3.putObject(b -> b.bucket("counted").key(key), RequestBody.fromString("x"));
			}
			s3.getObjectAsBytes(b -> b.bucket("counted").key("k/0"));
			s3.getObjectAsBytes(b -> b.bucket("counted").key("k/1"));
			s3.headObject(b -> b.bucket("counted").key("k/2"));
			s3.copyObject(b -> b.sourceBucket("counted").sourceKey("k/2").destinationBucket("counted")
				.destinationKey("copy/2"));
			s3.deleteObjects(b -> b.bucket("counted")
				.delete(d -> d.objects(o -> o.key("k/0"), o -> o.key("k/1"))));
			s3.deleteObject(b -> b.bucket("counted").key("k/2"));
			s3.listObjectsV2(b -> b.bucket("counted"));

			String text = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort[0] + "/s3-requests")).build(),
						HttpResponse.BodyHandlers.ofString())
				.body();

			assertThat(text.lines().toList()).containsExactly("CopyObject 1", "CreateBucket 1", "DeleteObject 1",
					"DeleteObjects 1", "GetObject 2", "HeadObject 1", "ListObjects 1", "PutObject 3");
			assertThat(s3.listObjectsV2(b -> b.bucket("counted")).contents()).extracting(o -> o.key())
				.containsExactly("copy/2");
		}
	}

	@Test
	void uploadsBesideDeletesAllSucceed() throws Exception {
		try (LocalS3Server server = onFreePorts(metrics -> 0);
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


	/**
	 * Batch-id claims and file-service versions rely on a conditional write ({@code If-None-Match: *})
	 * letting exactly one of several racing writers of a key win, on the embedded store too.
	 */
	@Test
	void ofRacingConditionalWritesOfOneKeyExactlyOneWins() throws Exception {
		try (LocalS3Server server = onFreePorts(metrics -> 0);
				S3Client s3 = S3Client.builder()
					.endpointOverride(URI.create(server.endpoint()))
					.region(Region.US_EAST_1)
					.credentialsProvider(StaticCredentialsProvider
						.create(AwsBasicCredentials.create(LocalS3Server.ACCESS_KEY, LocalS3Server.SECRET_KEY)))
					.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
					.build()) {
			s3.createBucket(b -> b.bucket("claims"));
			ExecutorService pool = Executors.newFixedThreadPool(16);
			try {
				for (int round = 0; round < 20; round++) {
					String key = "race/" + round;
					List<Future<Boolean>> writers = new ArrayList<>();
					for (int i = 0; i < 16; i++) {
						String body = "writer-" + i;
						writers.add(pool.submit(() -> {
							try {
								s3.putObject(b -> b.bucket("claims").key(key).ifNoneMatch("*"), RequestBody.fromString(body));
								return true;
							}
							catch (software.amazon.awssdk.services.s3.model.S3Exception ex) {
								if (ex.statusCode() == 412 || ex.statusCode() == 409) {
									return false;
								}
								throw ex;
							}
						}));
					}
					int won = 0;
					for (Future<Boolean> writer : writers) {
						won += writer.get() ? 1 : 0;
					}
					assertThat(won).as("writers of %s that won", key).isEqualTo(1);
				}
			}
			finally {
				pool.shutdownNow();
			}
		}
	}

	/**
	 * A server on a free port, with request counts on another when {@code metrics} keeps the free
	 * port it is given (0: none); started again on others when one was taken in between.
	 */
	private LocalS3Server onFreePorts(IntUnaryOperator metrics) throws Exception {
		for (int attempt = 1;; attempt++) {
			int port;
			int metricsPort;
			try (ServerSocket socket = new ServerSocket(0); ServerSocket counts = new ServerSocket(0)) {
				port = socket.getLocalPort();
				metricsPort = metrics.applyAsInt(counts.getLocalPort());
			}
			try {
				return LocalS3Server.start(dataDir, port, metricsPort);
			}
			catch (Exception ex) {
				if (attempt == 3 || !LocalStacks.portInUse(ex)) {
					throw ex;
				}
			}
		}
	}

}
