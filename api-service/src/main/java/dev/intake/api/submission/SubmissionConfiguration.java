package dev.intake.api.submission;

import dev.intake.api.claims.BatchClaims;
import dev.intake.api.claims.BatchIdProperties;
import dev.intake.api.publish.BatchPublisher;
import dev.intake.api.publish.KafkaBatchPublisher;
import dev.intake.api.publish.MeteredBatchPublisher;
import dev.intake.api.publish.PublishProperties;
import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.StagingProperties;
import dev.intake.api.status.StatusServiceClient;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.multipart.MultipartLimits;
import dev.intake.api.submission.spool.PartSpools;
import dev.intake.api.submission.spool.SpoolBudget;
import dev.intake.api.submission.upload.UploadProperties;
import dev.intake.api.submission.zip.ArchiveProperties;
import dev.intake.api.submission.zip.ArchiveThreads;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import dev.intake.api.limits.TenantQuotas;
import dev.intake.api.webhooks.BatchCallbacks;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.IngestImage;
import dev.intake.platform.observe.TenantTags;
import dev.intake.platform.s3.IntakeBucket;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Batch submission: multipart and JSON limits, the staging area, the per-instance staging cap, the
 * archive threads and the transactional Kafka producer that publishes accepted batches.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ UploadProperties.class, SubmitProperties.class, ArchiveProperties.class,
		PublishProperties.class, BatchIdProperties.class, StagingProperties.class })
class SubmissionConfiguration {

	@Bean
	MultipartLimits multipartLimits(UploadProperties limits) {
		return new MultipartLimits(limits);
	}

	@Bean
	UploadSlots uploadSlots(UploadProperties limits) {
		return new UploadSlots(limits.maxConcurrentUploads(), limits.maxBufferedUploads().toBytes(),
				limits.maxUnauthenticatedUploads());
	}

	@Bean
	MeterBinder uploadSlotMetrics(UploadSlots slots) {
		return registry -> {
			Gauge.builder("intake.upload.staging.active", slots, UploadSlots::inUse)
				.description("Files being staged to S3 right now")
				.register(registry);
			Gauge.builder("intake.upload.staging.unauthenticated", slots, UploadSlots::unauthenticatedInUse)
				.description("Files being staged to S3 right now before their credential was read")
				.register(registry);
		};
	}

	@Bean
	PartSpools partSpools(ArchiveProperties archives) {
		return new PartSpools(PartSpools.MEMORY_PER_PART, new SpoolBudget(archives.maxSpoolMemory().toBytes()),
				Path.of(System.getProperty("java.io.tmpdir")), new SpoolBudget(archives.maxSpoolSize().toBytes()));
	}

	@Bean
	MeterBinder partSpoolMetrics(PartSpools spools) {
		return registry -> {
			Gauge.builder("intake.upload.archive.spooled", spools, PartSpools::onDisk)
				.description("Bytes of spooled parts on disk: archives waiting for their expansion, files for an upload slot")
				.baseUnit("bytes")
				.register(registry);
			Gauge.builder("intake.upload.archive.spooled.heap", spools, PartSpools::inHeap)
				.description("Bytes of spooled parts in the heap: archives waiting for their expansion, files for an upload slot")
				.baseUnit("bytes")
				.register(registry);
		};
	}

	@Bean(destroyMethod = "dispose")
	ArchiveThreads archiveThreads(ArchiveProperties archives, PartSpools spools) {
		return new ArchiveThreads(archives.maxConcurrent(), archives.maxQueued(),
				Math.toIntExact(archives.maxCentralDirectorySize().toBytes()), spools);
	}

	@Bean
	StagingArea stagingArea(S3AsyncClient s3, IntakeBucket bucket, StagingProperties properties) {
		return new StagingArea(s3, bucket.name(), properties);
	}

	@Bean
	BatchSubmission batchSubmission(UploadProperties limits, SubmitProperties submitLimits, StagingArea staging,
			UploadSlots slots, ArchiveThreads archiveThreads, BatchPublisher publisher, BatchClaims claims,
			TenantQuotas quotas, BatchCallbacks callbacks) {
		// a batch is charged to its tenant's images per minute (429 when used up) before it is queued
		BatchPublisher charged = new BatchPublisher() {

			@Override
			public Mono<Void> publish(BatchSubmitted batch, List<IngestImage> jobs) {
				return quotas.chargeImages(batch.tenant(), jobs.size()).then(publisher.publish(batch, jobs));
			}

			@Override
			public Mono<Publication> publishWithNewAsset(String tenant, LongFunction<Publication> batchFor) {
				return quotas.chargeImages(tenant, 1).then(publisher.publishWithNewAsset(tenant, batchFor));
			}

		};
		return new BatchSubmission(limits, submitLimits, staging, slots, archiveThreads, charged, claims, callbacks,
				Clock.systemUTC());
	}

	@Bean
	BatchClaims batchClaims(S3AsyncClient s3, IntakeBucket bucket, BatchIdProperties batchIds,
			PublishProperties publish, StatusServiceClient statusService) {
		if (batchIds.abandonedAfter().compareTo(publish.transactionTimeout()) <= 0) {
			throw new IllegalStateException("intake.batch-ids.abandoned-after (" + batchIds.abandonedAfter()
					+ ") must be longer than intake.publish.transaction-timeout (" + publish.transactionTimeout() + ")");
		}
		return new BatchClaims(s3, bucket.name(), batchIds,
				key -> statusService.batchExists(key.tenant(), key.batchId()), Clock.systemUTC());
	}

	@Bean
	BatchPublisher batchPublisher(KafkaTemplate<String, byte[]> batchKafkaTemplate, MeterRegistry registry,
			TenantTags tenantTags) {
		return new MeteredBatchPublisher(new KafkaBatchPublisher(batchKafkaTemplate), registry, tenantTags);
	}

	@Bean
	DefaultKafkaProducerFactory<String, byte[]> batchProducerFactory(KafkaProperties kafka, PublishProperties publish,
			ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers) {
		Map<String, Object> config = kafka.buildProducerProperties();
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, publish.timeout().toMillis());
		config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Math.toIntExact(publish.transactionTimeout().toMillis()));
		DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(config,
				new StringSerializer(), new ByteArraySerializer());
		factory.setTransactionIdPrefix(publish.transactionIdPrefix());
		customizers.orderedStream().forEach(customizer -> customizer.customize(factory));
		return factory;
	}

	@Bean
	KafkaTemplate<String, byte[]> batchKafkaTemplate(ProducerFactory<String, byte[]> batchProducerFactory) {
		KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(batchProducerFactory);
		// each record carries the submit's trace context (traceparent header) to its consumer
		template.setObservationEnabled(true);
		return template;
	}

}
