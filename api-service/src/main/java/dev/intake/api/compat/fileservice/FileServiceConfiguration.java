package dev.intake.api.compat.fileservice;

import java.time.Clock;
import java.util.Set;

import dev.intake.api.publish.BatchPublisher;
import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.upload.UploadProperties;
import dev.intake.platform.s3.IntakeBucket;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.codec.multipart.PartEventHttpMessageReader;
import org.springframework.web.filter.reactive.UrlHandlerFilter;

import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The Capillary file service: its routes, version index, signed links, image checks and error shape. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FileServiceProperties.class)
class FileServiceConfiguration {

	private static final Log logger = LogFactory.getLog(FileServiceConfiguration.class);

	@Bean
	FileServiceErrors fileServiceRefusals() {
		return new FileServiceErrors();
	}

	/**
	 * Every route with a trailing slash ({@code …/rewards/}, {@code …/rewards/test.png/}) is served
	 * as without it; the path is changed before the security layer sees it.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	UrlHandlerFilter fileServiceTrailingSlash() {
		return UrlHandlerFilter.trailingSlashHandler(FileServiceController.BASE + "/**").mutateRequest().build();
	}

	@Bean
	SignedLinks fileServiceLinks(FileServiceProperties properties, S3Presigner presigner, IntakeBucket bucket) {
		SignedLinks links = new SignedLinks(properties, presigner, bucket.name(), Clock.systemUTC());
		if (!properties.presignedLinks() && links.ephemeral()) {
			logger.warn("intake.file-service.signing-secret is not set: signed file links are refused by other "
					+ "instances and after a restart");
		}
		return links;
	}

	@Bean
	FileBody fileServiceBody(StagingArea staging, UploadSlots slots, UploadProperties uploads,
			FileServiceProperties properties, ServerCodecConfigurer codecs) {
		return new FileBody(staging, slots, uploads, properties.maxFileSize().toBytes(),
				Set.copyOf(properties.documents()), partEventReader(codecs));
	}

	@Bean
	VersionIndex fileServiceVersions(S3AsyncClient s3, IntakeBucket bucket, FileServiceProperties properties) {
		return new VersionIndex(s3, bucket.name(), properties.versionAttempts());
	}

	@Bean
	ImageChecks fileServiceImageChecks(BatchPublisher publisher, S3AsyncClient s3, IntakeBucket bucket,
			SignedLinks links) {
		return new ImageChecks(publisher, s3, bucket.name(), links, Clock.systemUTC());
	}

	@SuppressWarnings("unchecked")
	private static HttpMessageReader<PartEvent> partEventReader(ServerCodecConfigurer codecs) {
		return codecs.getReaders()
			.stream()
			.filter(PartEventHttpMessageReader.class::isInstance)
			.map(reader -> (HttpMessageReader<PartEvent>) reader)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No multipart PartEvent reader is configured"));
	}

}
