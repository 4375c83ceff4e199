package dev.intake.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The anchor: PutObject of the same bytes straight into the same S3 server, from a thread pool
 * of {@code concurrency} over one tuned AWS SDK v2 client (Apache HTTP, a pooled connection per
 * thread, no Expect: 100-continue, no optional checksums): what storing those bytes costs here.
 */
final class DirectPut implements AutoCloseable {

	static final String ACCESS_KEY = "intake-local";

	static final String SECRET_KEY = "intake-local-secret";

	static final String BUCKET = "intake";

	private final S3Client s3;

	private final ExecutorService pool;

	final int concurrency;

	DirectPut(String endpoint, int concurrency) {
		this.concurrency = concurrency;
		this.s3 = S3Client.builder()
			.endpointOverride(URI.create(endpoint))
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
			.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).expectContinueEnabled(false).build())
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
			.httpClientBuilder(ApacheHttpClient.builder().maxConnections(concurrency).tcpKeepAlive(true))
			.build();
		this.pool = Executors.newFixedThreadPool(concurrency);
	}

	/** PUTs every image under {@code prefix}; returns the wall time in seconds. */
	double putAll(String prefix, List<byte[]> images) throws Exception {
		long begin = System.nanoTime();
		List<Future<?>> puts = new ArrayList<>();
		for (int i = 0; i < images.size(); i++) {
			String key = "bench/" + prefix + "/" + i + ".jpg";
			byte[] bytes = images.get(i);
			puts.add(pool.submit(() -> s3.putObject(b -> b.bucket(BUCKET).key(key).contentType("image/jpeg")
				.contentLength((long) bytes.length), RequestBody.fromBytes(bytes))));
		}
		for (Future<?> put : puts) {
			put.get();
		}
		return (System.nanoTime() - begin) / 1e9;
	}

	/** A sequence of S3 requests per image that a design of the claim check needs at the least. */
	enum Sequence {

		/**
		 * The staged claim check: PUT the staged object, GET it back whole (the worker must read
		 * the bytes to check and hash them), CopyObject it to its content-derived key; deleting the
		 * staged object is left out, as a lifecycle rule could expire it.
		 */
		STAGED_COPY("PUT staged, GET, CopyObject"),
		/**
		 * Bytes written once: PUT the upload to its final key, GET it back whole; the verdict is
		 * recorded outside S3 (docs/storage.md).
		 */
		WRITE_ONCE("PUT, GET");

		final String requests;

		Sequence(String requests) {
			this.requests = requests;
		}

	}

	/**
	 * The fewest S3 requests {@code sequence} needs per image, with nothing else: each image's
	 * requests one after another, {@code concurrency} images at once. No multipart parsing,
	 * hashing, decoding or Kafka: what any implementation of that design pays to S3 alone, so
	 * direct PUT time ÷ this time bounds the ratio Intake can reach here with it. Returns the wall
	 * time in seconds.
	 */
	double sequenceAll(Sequence sequence, String prefix, List<byte[]> images) throws Exception {
		long begin = System.nanoTime();
		List<Future<?>> checks = new ArrayList<>();
		for (int i = 0; i < images.size(); i++) {
			String upload = "staging/bench/" + prefix + "/" + i;
			String key = "images/bench/" + prefix + "/" + i + ".jpg";
			byte[] bytes = images.get(i);
			checks.add(pool.submit(() -> {
				s3.putObject(b -> b.bucket(BUCKET).key(upload).contentType("image/jpeg")
					.contentLength((long) bytes.length), RequestBody.fromBytes(bytes));
				byte[] read = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(upload)).asByteArray();
				if (read.length != bytes.length) {
					throw new IllegalStateException("read " + read.length + " bytes of " + bytes.length);
				}
				if (sequence == Sequence.STAGED_COPY) {
					s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey(upload).destinationBucket(BUCKET)
						.destinationKey(key).contentType("image/jpeg"));
				}
				return null;
			}));
		}
		for (Future<?> check : checks) {
			check.get();
		}
		return (System.nanoTime() - begin) / 1e9;
	}

	@Override
	public void close() {
		pool.shutdownNow();
		s3.close();
	}

}
