package dev.intake.worker.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.intake.contracts.BlobRef;
import dev.intake.contracts.Topics;
import dev.intake.platform.s3.IntakeBucket;
import dev.intake.worker.fetch.RemoteFetcher;
import dev.intake.worker.imaging.DecodePool;
import dev.intake.worker.imaging.DimensionReader;
import dev.intake.worker.imaging.PixelLimit;
import dev.intake.worker.imaging.rendition.RenditionMaker;
import dev.intake.worker.ingest.inspect.ImageInspector;
import dev.intake.worker.ingest.inspect.RenditionProfiles;
import dev.intake.worker.metrics.WorkerMetrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

import software.amazon.awssdk.services.s3.S3Client;

/** Wires {@link ImageIngestion} to S3 and to whatever {@link ResultPublisher} the app provides. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ IngestProperties.class, StagedDeleteProperties.class, FaultInjectionProperties.class })
class IngestConfiguration {

	@Bean
	DecodePool decodePool(IngestProperties props) {
		return new DecodePool(props.decode().threads(), props.decode().timeout(), props.decode().threadPriority());
	}

	@Bean
	ImageIngestion imageIngestion(S3Client s3, IntakeBucket bucket, ResultPublisher results, RemoteFetcher fetcher,
			DecodePool decodePool, IngestProperties props, StagedDeletes stagedDeletes, FaultInjectionProperties faults,
			WorkerMetrics metrics) {
		RenditionProfiles profiles = props.renditionProfiles();
		ImageInspector inspector = new ImageInspector(new DimensionReader(),
				new PixelLimit(props.maxPixels(), props.maxSide()), props.maxFrames(), decodePool,
				new RenditionMaker(props.renditionFormatParsed(), props.renditionQuality(),
						props.maxWebpFallbackPixels(), profiles.namedFormats(), metrics::renditions),
				profiles, props.allowedDocuments(), faults.failDecodeOf(), faults.holdDecodeOf(), faults.haltDecodeOf());
		return new ImageIngestion(new ImageStore(s3, bucket.name(), stagedDeletes), inspector, results, fetcher,
				props.maxImageSize().toBytes(), createTempDir(props.tempDirOrDefault()), Clock.systemUTC());
	}

	@Bean
	DiscardListener discardListener(StagedDeletes stagedDeletes, IntakeBucket bucket) {
		return new DiscardListener(stagedDeletes, bucket.name());
	}

	/** Reads {@code intake.discards} committed records only, from the start for a new group. */
	@Bean
	ConcurrentKafkaListenerContainerFactory<String, BlobRef> discardListenerContainerFactory(KafkaProperties kafka,
			KafkaConnectionDetails connection, ObjectProvider<DefaultKafkaConsumerFactoryCustomizer> customizers) {
		Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
		config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, connection.getConsumer().getBootstrapServers());
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		var consumers = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
				new ErrorHandlingDeserializer<>(Topics.DISCARDS.valueSerde().deserializer()));
		customizers.orderedStream().forEach(customizer -> customizer.customize(consumers));
		var factory = new ConcurrentKafkaListenerContainerFactory<String, BlobRef>();
		factory.setConsumerFactory(consumers);
		factory.getContainerProperties().setAckMode(AckMode.RECORD);
		return factory;
	}

	@Bean(destroyMethod = "close")
	StagedDeletes stagedDeletes(S3Client s3, StagedDeleteProperties props) {
		return new StagedDeletes(s3, props.retryInterval(), props.maxPending());
	}

	private static Path createTempDir(Path dir) {
		try {
			return Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create intake.worker.temp-dir " + dir, ex);
		}
	}

}
