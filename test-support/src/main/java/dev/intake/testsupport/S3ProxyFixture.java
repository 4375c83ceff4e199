package dev.intake.testsupport;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

import static org.awaitility.Awaitility.await;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * A real S3 server in this JVM (S3Proxy on 127.0.0.1, in memory or on disk) and an independent
 * client of it: {@code S3ProxyFixture.start().withBucket("intake")}. Credentials are
 * {@link #ACCESS_KEY} and {@link #SECRET_KEY}; the endpoint is path-style.
 */
public final class S3ProxyFixture implements AutoCloseable {

	public static final String ACCESS_KEY = "test";

	public static final String SECRET_KEY = "test-secret";

	private final S3Proxy proxy;

	private final S3Client client;

	private S3ProxyFixture(S3Proxy proxy) {
		this.proxy = proxy;
		this.client = S3Client.builder()
			.endpointOverride(endpoint())
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
			.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
			.httpClientBuilder(ApacheHttpClient.builder())
			.build();
	}

	private static S3ProxyFixture shared;

	/** An in-memory store started once per JVM and never stopped, for tests that share one store. */
	public static synchronized S3ProxyFixture shared() {
		if (shared == null) {
			try {
				shared = start();
			}
			catch (Exception ex) {
				throw new IllegalStateException("S3Proxy did not start", ex);
			}
		}
		return shared;
	}

	/** A new in-memory store; close it when done. */
	public static S3ProxyFixture start() throws Exception {
		Properties properties = new Properties();
		properties.setProperty("jclouds.provider", "transient");
		properties.setProperty("jclouds.identity", ACCESS_KEY);
		properties.setProperty("jclouds.credential", SECRET_KEY);
		return started(S3Proxy.builder().blobStore(BlobStores.create("transient", properties)));
	}

	private static S3ProxyFixture started(S3Proxy.Builder builder) throws Exception {
		S3Proxy proxy = builder
			.endpoint(URI.create("http://127.0.0.1:0"))
			.awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
			.ignoreUnknownHeaders(true)
			.build();
		proxy.start();
		await("S3Proxy started").atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> "STARTED".equals(proxy.getState()));
		return new S3ProxyFixture(proxy);
	}

	/** S3Proxy with the filesystem backend under {@code directory}, for data larger than the heap. */
	public static S3ProxyFixture startOnDisk(Path directory) throws Exception {
		Properties properties = new Properties();
		properties.setProperty("jclouds.identity", ACCESS_KEY);
		properties.setProperty("jclouds.credential", SECRET_KEY);
		properties.setProperty("jclouds.filesystem.basedir", directory.toString());
		return started(S3Proxy.builder().blobStore(BlobStores.create("filesystem-nio2", properties)));
	}

	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + proxy.getPort());
	}

	/** A client configured as the platform configures the services' client. */
	public S3Client newWorkerClient() {
		return newWorkerClientBuilder().build();
	}

	/** The builder of {@link #newWorkerClient}, to add to it (an interceptor, say) before building. */
	public S3ClientBuilder newWorkerClientBuilder() {
		return S3Client.builder()
			.endpointOverride(endpoint())
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
			.serviceConfiguration(
					S3Configuration.builder().pathStyleAccessEnabled(true).expectContinueEnabled(false).build())
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
			.httpClientBuilder(ApacheHttpClient.builder());
	}

	/** An independent client, to set up and to check what the worker did. */
	public S3Client client() {
		return client;
	}

	public S3ProxyFixture withBucket(String bucket) {
		client.createBucket(b -> b.bucket(bucket));
		return this;
	}

	public void put(String bucket, String key, byte[] bytes) {
		client.putObject(b -> b.bucket(bucket).key(key).contentType("application/octet-stream"),
				RequestBody.fromBytes(bytes));
	}

	public boolean exists(String bucket, String key) {
		try {
			client.headObject(b -> b.bucket(bucket).key(key));
			return true;
		}
		catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException ex) {
			return false;
		}
	}

	public void stop() throws Exception {
		proxy.stop();
	}

	@Override
	public void close() throws Exception {
		client.close();
		stop();
	}

}
