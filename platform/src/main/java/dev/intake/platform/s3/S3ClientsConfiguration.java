package dev.intake.platform.s3;

import java.net.URI;
import java.time.Duration;

import dev.intake.platform.observe.S3Metrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The S3 clients every service uses, built once from {@link IntakeS3Properties}. Settings that
 * work on AWS S3, MinIO, Ceph and S3Proxy alike: path-style, no {@code Expect: 100-continue},
 * checksums only where the API requires them.
 */
@AutoConfiguration
@EnableConfigurationProperties(IntakeS3Properties.class)
public class S3ClientsConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	S3Client s3Client(IntakeS3Properties props, ObjectProvider<MeterRegistry> registry) {
		return syncClientBuilder(props, registry.getIfAvailable()).build();
	}

	/**
	 * The builder of the shared synchronous client, its calls counted in {@code registry}
	 * ({@link S3Metrics}) unless it is null; for measurements that build the same client.
	 */
	public static S3ClientBuilder syncClientBuilder(IntakeS3Properties props, MeterRegistry registry) {
		var builder = S3Client.builder()
			.region(Region.of(props.region()))
			.credentialsProvider(credentials(props))
			.serviceConfiguration(serviceConfiguration(props))
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
			.overrideConfiguration(
					overrides(ClientOverrideConfiguration.builder().apiCallTimeout(props.apiCallTimeout()), registry)
						.build())
			.httpClientBuilder(ApacheHttpClient.builder().maxConnections(props.maxConnections()));
		endpoint(props).ifPresent(builder::endpointOverride);
		return builder;
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	S3AsyncClient s3AsyncClient(IntakeS3Properties props, ObjectProvider<MeterRegistry> registry) {
		return asyncClient(props, props.maxConnections(), props.connectionAcquireTimeout(), registry.getIfAvailable());
	}

	/**
	 * An async client with a connection pool of its own, for traffic that must never take the
	 * connections of the shared client (the public image origin).
	 */
	public static S3AsyncClient asyncClient(IntakeS3Properties props, int maxConnections, Duration acquireTimeout) {
		return asyncClient(props, maxConnections, acquireTimeout, null);
	}

	/** The same, its calls counted in {@code registry} ({@link S3Metrics}) unless it is null. */
	public static S3AsyncClient asyncClient(IntakeS3Properties props, int maxConnections, Duration acquireTimeout,
			MeterRegistry registry) {
		var builder = S3AsyncClient.builder()
			.region(Region.of(props.region()))
			.credentialsProvider(credentials(props))
			.serviceConfiguration(serviceConfiguration(props))
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
			// Streams of unknown length are buffered one part (8 MiB) at a time, never whole.
			.multipartEnabled(true)
			.overrideConfiguration(
					overrides(ClientOverrideConfiguration.builder().apiCallTimeout(props.asyncApiCallTimeout()), registry)
						.build())
			.httpClientBuilder(NettyNioAsyncHttpClient.builder()
				.maxConcurrency(maxConnections)
				.connectionAcquisitionTimeout(acquireTimeout)
				.readTimeout(props.silenceTimeout())
				.writeTimeout(props.silenceTimeout()));
		endpoint(props).ifPresent(builder::endpointOverride);
		return builder.build();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	S3Presigner s3Presigner(IntakeS3Properties props) {
		var builder = S3Presigner.builder()
			.region(Region.of(props.region()))
			.credentialsProvider(credentials(props))
			.serviceConfiguration(serviceConfiguration(props));
		endpoint(props).ifPresent(builder::endpointOverride);
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	IntakeBucket intakeBucket(S3Client s3, IntakeS3Properties props) {
		return new IntakeBucket(s3, props.bucket(), props.createBucket());
	}

	@Bean(name = "s3HealthIndicator")
	@ConditionalOnMissingBean(name = "s3HealthIndicator")
	S3HealthIndicator s3HealthIndicator(IntakeBucket bucket, ObjectProvider<S3AsyncClient> async,
			IntakeS3Properties props) {
		return new S3HealthIndicator(bucket, async.getIfAvailable(), props.connectionAcquireTimeout());
	}

	private static ClientOverrideConfiguration.Builder overrides(ClientOverrideConfiguration.Builder builder,
			MeterRegistry registry) {
		builder.scheduledExecutorService(S3Timeouts.scheduler());
		return (registry != null) ? builder.addExecutionInterceptor(new S3Metrics(registry)) : builder;
	}

	private static S3Configuration serviceConfiguration(IntakeS3Properties props) {
		return S3Configuration.builder().pathStyleAccessEnabled(props.pathStyle()).expectContinueEnabled(false).build();
	}

	private static AwsCredentialsProvider credentials(IntakeS3Properties props) {
		if (props.accessKey() != null && !props.accessKey().isBlank()) {
			return StaticCredentialsProvider.create(AwsBasicCredentials.create(props.accessKey(), props.secretKey()));
		}
		return DefaultCredentialsProvider.builder().build();
	}

	private static java.util.Optional<URI> endpoint(IntakeS3Properties props) {
		return java.util.Optional.ofNullable(props.endpoint()).filter(uri -> !uri.toString().isBlank());
	}

}
