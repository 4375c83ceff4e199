package dev.intake.worker.jobs;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.Topics;
import dev.intake.platform.observe.TenantTags;
import dev.intake.worker.ingest.ImageIngestion;
import dev.intake.worker.ingest.ResultPublisher;
import dev.intake.worker.ingest.TransientFailure;
import dev.intake.worker.metrics.WorkerMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The job consumer and its producers, built in code from Boot's {@code spring.kafka.*}
 * settings. Jobs are read {@code read_committed}, a few per poll, and committed one by one after
 * their result is acknowledged (at-least-once). Results go through an idempotent, non-transactional
 * producer. Transient failures are retried with jittered exponential back-off; then, or at once
 * for any other failure or an unreadable record, {@link FailedJobRecoverer} dead-letters the
 * record and fails the item. A job interrupted by a shutdown is neither: it is redelivered.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JobsProperties.class)
class JobsConfiguration {

	@Bean
	ImageJobListener imageJobListener(ImageIngestion ingestion, WorkerMetrics metrics) {
		return new ImageJobListener(ingestion, metrics, Clock.systemUTC());
	}

	@Bean
	ConcurrentKafkaListenerContainerFactory<String, IngestImage> kafkaListenerContainerFactory(KafkaProperties kafka,
			KafkaConnectionDetails connection, JobsProperties jobs, CommonErrorHandler errorHandler,
			ObjectProvider<DefaultKafkaConsumerFactoryCustomizer> customizers) {
		Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
		config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, connection.getConsumer().getBootstrapServers());
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, jobs.maxPollRecords());
		config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Math.toIntExact(jobs.maxPollInterval().toMillis()));
		// a new consumer group must still process the jobs published before it first started
		config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		// an unreadable record reaches the error handler as a DeserializationException: dead-lettered, never looped
		var consumers = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
				new ErrorHandlingDeserializer<>(Topics.JOBS.valueSerde().deserializer()));
		customizers.orderedStream().forEach(customizer -> customizer.customize(consumers));
		var factory = new ConcurrentKafkaListenerContainerFactory<String, IngestImage>();
		factory.setConsumerFactory(consumers);
		factory.setConcurrency(jobs.concurrency());
		factory.setCommonErrorHandler(errorHandler);
		factory.getContainerProperties().setAckMode(AckMode.RECORD);
		// each job is processed in the trace its record's traceparent header continues
		factory.getContainerProperties().setObservationEnabled(true);
		return factory;
	}

	@Bean
	CommonErrorHandler jobErrorHandler(JobsProperties jobs, KafkaTemplate<String, Object> deadLetterTemplate,
			ResultPublisher results, ImageIngestion ingestion) {
		var deadLetters = new DeadLetterPublishingRecoverer(deadLetterTemplate,
				(record, ex) -> new TopicPartition(Topics.JOBS_DLT, record.partition()));
		var handler = new DefaultErrorHandler(new OutcomeRecordingRecoverer(new FailedJobRecoverer(deadLetters, results,
				Clock.systemUTC(), jobs.keepFailedStaged() ? job -> { } : ingestion::discardStaged), ingestion,
				Clock.systemUTC()), backOff(jobs.retry()));
		// only infrastructure hiccups are worth a retry; a job that failed otherwise fails again
		handler.defaultFalse();
		handler.addRetryableExceptions(TransientFailure.class);
		handler.setRetryListeners(new RetryLogger());
		return handler;
	}

	/**
	 * Jittered exponential back-off that stops after exactly {@code maxRetries} waits. (Spring
	 * Kafka's {@code ExponentialBackOffWithMaxRetries} stops on elapsed time computed without
	 * jitter, so jitter could buy an extra retry.)
	 */
	static ExponentialBackOff backOff(JobsProperties.Retry retry) {
		var backOff = new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
		backOff.setMaxInterval(retry.maxInterval().toMillis());
		backOff.setJitter(retry.jitter().toMillis());
		backOff.setMaxAttempts(retry.maxRetries());
		return backOff;
	}

	@Bean
	ResultPublisher kafkaResultPublisher(KafkaTemplate<String, ItemResult> resultTemplate, JobsProperties jobs,
			WorkerMetrics metrics) {
		return new KafkaResultPublisher(resultTemplate, jobs.resultTimeout(), metrics);
	}

	@Bean
	DefaultKafkaProducerFactory<String, ItemResult> resultProducerFactory(KafkaProperties kafka,
			KafkaConnectionDetails connection, ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers) {
		return producers(kafka, connection, Topics.RESULTS.valueSerde().serializer(), customizers);
	}

	@Bean
	KafkaTemplate<String, ItemResult> resultTemplate(DefaultKafkaProducerFactory<String, ItemResult> producers) {
		return observed(new KafkaTemplate<>(producers));
	}

	@Bean
	DefaultKafkaProducerFactory<String, Object> deadLetterProducerFactory(KafkaProperties kafka,
			KafkaConnectionDetails connection, ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers) {
		// a readable job is written back as JSON, an unreadable one as the bytes it arrived with
		Serializer<Object> values = new DelegatingByTypeSerializer(Map.of(byte[].class, new ByteArraySerializer(),
				IngestImage.class, Topics.JOBS.valueSerde().serializer()));
		return producers(kafka, connection, values, customizers);
	}

	@Bean
	KafkaTemplate<String, Object> deadLetterTemplate(DefaultKafkaProducerFactory<String, Object> producers) {
		return observed(new KafkaTemplate<>(producers));
	}

	@Bean
	WorkerMetrics workerMetrics(MeterRegistry registry, TenantTags tenantTags) {
		return new WorkerMetrics(registry, tenantTags);
	}

	/** The records sent carry the job's trace context (traceparent header) on to their consumers. */
	private static <V> KafkaTemplate<String, V> observed(KafkaTemplate<String, V> template) {
		template.setObservationEnabled(true);
		return template;
	}

	private static <V> DefaultKafkaProducerFactory<String, V> producers(KafkaProperties kafka,
			KafkaConnectionDetails connection, Serializer<V> values,
			ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers) {
		Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
		config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, connection.getProducer().getBootstrapServers());
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		var factory = new DefaultKafkaProducerFactory<>(config, new StringSerializer(), values);
		customizers.orderedStream().forEach(customizer -> customizer.customize(factory));
		return factory;
	}

}
