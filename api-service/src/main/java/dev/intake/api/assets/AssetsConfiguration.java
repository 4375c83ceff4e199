package dev.intake.api.assets;

import java.time.Clock;
import java.util.List;
import java.util.function.LongFunction;

import dev.intake.api.limits.TenantQuotas;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.IngestImage;
import reactor.core.publisher.Mono;

import dev.intake.api.publish.BatchPublisher;
import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.status.StatusServiceClient;
import dev.intake.api.submission.upload.UploadProperties;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.codec.multipart.PartEventHttpMessageReader;

/** Single-file uploads of the compatible APIs over the batch pipeline. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AssetProperties.class)
class AssetsConfiguration {

	@Bean
	SingleFileUpload singleFileUpload(UploadProperties limits, StagingArea staging, UploadSlots slots,
			BatchPublisher batchPublisher, StatusServiceClient statusService, JsonMapper json,
			AssetProperties properties, TenantQuotas quotas, ServerCodecConfigurer codecs) {
		// an upload is charged to its tenant's images per minute (429 when used up) before it is queued
		BatchPublisher charged = new BatchPublisher() {

			@Override
			public Mono<Void> publish(BatchSubmitted batch, List<IngestImage> jobs) {
				return quotas.chargeImages(batch.tenant(), jobs.size()).then(batchPublisher.publish(batch, jobs));
			}

			@Override
			public Mono<Publication> publishWithNewAsset(String tenant, LongFunction<Publication> batchFor) {
				return quotas.chargeImages(tenant, 1).then(batchPublisher.publishWithNewAsset(tenant, batchFor));
			}

		};
		return new SingleFileUpload(limits, staging, slots, charged, new ItemOutcomes(statusService, json, properties),
				quotas, Clock.systemUTC(), partEventReader(codecs));
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
