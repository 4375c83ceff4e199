package dev.intake.worker.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.Topic;
import dev.intake.contracts.Topics;
import dev.intake.platform.observe.TenantTags;
import dev.intake.worker.ingest.ImageIngestion;
import dev.intake.worker.ingest.ResultPublisher;
import dev.intake.worker.metrics.WorkerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.DefaultShareConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.ShareConsumerRecordRecoverer;
import org.springframework.kafka.listener.ShareKafkaMessageListenerContainer;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The job consumers and their producers, built in code from Boot's {@code spring.kafka.*}
 * settings. Jobs are consumed in the share group {@value #GROUP} ({@link JobsShareGroup}), those of
 * large batches ({@code intake.jobs}) and those of single-file uploads
 * ({@code intake.interactive-jobs}) by consumers of their own: each of {@code concurrency} (and
 * {@code interactive-concurrency}) share consumers per worker acquires at most {@code max-poll-records} jobs
 * at a time, and the broker hands a job to one consumer at a time and counts its deliveries.
 * {@link ImageJobListener} answers each delivery (accept, release or reject) after the job's result
 * is acknowledged. Results go through an idempotent, non-transactional producer;
 * {@link FailedJobRecoverer} dead-letters jobs and fails their items.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JobsProperties.class)
class JobsConfiguration {

	/** The share group of the workers on {@code intake.jobs} and {@code intake.interactive-jobs}. */
	static final String GROUP = "intake-workers";

	/** Settings of the classic consumer protocol a share consumer refuses. */
	private static final List<String> CLASSIC_ONLY = List.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
			ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG,
			ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
			ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG,
			ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
			ConsumerConfig.GROUP_PROTOCOL_CONFIG, ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG,
			ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, ConsumerConfig.GROUP_ID_CONFIG);

	/** Sets up the share group before any consumer joins it (a worker does not start without it). */
	@Bean
	JobsShareGroup jobsShareGroup(KafkaAdmin kafkaAdmin, JobsProperties jobs) {
		try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
			return JobsShareGroup.prepare(admin, GROUP, jobs.lockDuration(), Duration.ofMinutes(1));
		}
	}

	@Bean
	ConsumerAwareRecordRecoverer failedJobRecoverer(JobsProperties jobs, KafkaTemplate<String, Object> deadLetterTemplate,
			ResultPublisher results, ImageIngestion ingestion) {
		var deadLetters = new DeadLetterPublishingRecoverer(deadLetterTemplate,
				(record, ex) -> new TopicPartition(Topics.JOBS_DLT, record.partition()));
		// a job whose source keeps its own outcome (a file-service version) records its failure there too
		return new OutcomeRecordingRecoverer(new FailedJobRecoverer(deadLetters, results, Clock.systemUTC(),
				jobs.keepFailedStaged() ? job -> { } : ingestion::discardStaged), ingestion, Clock.systemUTC());
	}

	@Bean
	ImageJobListener imageJobListener(ImageIngestion ingestion, ConsumerAwareRecordRecoverer failures, JobsShareGroup group,
			JobsProperties jobs, WorkerMetrics metrics, ObjectProvider<ObservationRegistry> observations) {
		return new ImageJobListener(ingestion, failures, group, jobs.retry(), metrics,
				observations.getIfAvailable(() -> ObservationRegistry.NOOP), Clock.systemUTC());
	}

	@Bean
	ShareKafkaMessageListenerContainer<String, IngestImage> imageJobContainer(KafkaProperties kafka,
			KafkaConnectionDetails connection, JobsProperties jobs, JobsShareGroup group, ImageJobListener listener) {
		return container(Topics.JOBS, ImageJobListener.LISTENER_ID, jobs.concurrency(), kafka, connection, jobs, group,
				listener);
	}

	/**
	 * The jobs of single-file uploads, on consumers of their own in the same share group: a client
	 * waiting for its one file is not queued behind large batches.
	 */
	@Bean
	ShareKafkaMessageListenerContainer<String, IngestImage> interactiveJobContainer(KafkaProperties kafka,
			KafkaConnectionDetails connection, JobsProperties jobs, JobsShareGroup group, ImageJobListener listener,
			ShareKafkaMessageListenerContainer<String, IngestImage> imageJobContainer) {
		var container = container(Topics.INTERACTIVE_JOBS, ImageJobListener.LISTENER_ID + "-interactive",
				jobs.interactiveConcurrency(), kafka, connection, jobs, group, listener);
		listener.runningWhile(() -> imageJobContainer.isRunning() && container.isRunning());
		return container;
	}

	private static ShareKafkaMessageListenerContainer<String, IngestImage> container(Topic<String, IngestImage> topic,
			String name, int concurrency, KafkaProperties kafka, KafkaConnectionDetails connection, JobsProperties jobs,
			JobsShareGroup group, ImageJobListener listener) {
		Map<String, Object> config = shareConsumerConfig(kafka.buildConsumerProperties(),
				connection.getConsumer().getBootstrapServers(), jobs.maxPollRecords());
		// an unreadable record reaches the listener with its DeserializationException: dead-lettered, never looped
		var consumers = new DefaultShareConsumerFactory<>(config, new StringDeserializer(),
				new ErrorHandlingDeserializer<>(topic.valueSerde().deserializer()), true);
		ContainerProperties properties = new ContainerProperties(topic.name());
		properties.setGroupId(group.name());
		properties.setShareAckMode(ContainerProperties.ShareAckMode.MANUAL);
		properties.setMessageListener(listener);
		var container = new ShareKafkaMessageListenerContainer<String, IngestImage>(consumers, properties);
		container.setBeanName(name);
		container.setConcurrency(concurrency);
		// anything the listener lets through (it answers every job itself) is released, never lost
		container.setShareConsumerRecordRecoverer(ShareConsumerRecordRecoverer.RELEASING);
		return container;
	}

	/**
	 * The settings of the jobs' share consumers: Boot's consumer settings less those of the
	 * classic protocol, and a strict limit of {@code maxPollRecords} jobs acquired per poll. The
	 * broker acquires no job for a consumer that is not polling; but the share group assigns each
	 * partition to one consumer while the group has no more consumers than partitions, so a
	 * consumer busy with a slow job holds back the jobs of its partitions (docs/operations.md).
	 */
	static Map<String, Object> shareConsumerConfig(Map<String, Object> boot, List<String> bootstrapServers,
			int maxPollRecords) {
		Map<String, Object> config = new HashMap<>(boot);
		CLASSIC_ONLY.forEach(config::remove);
		config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		// a strict limit: a consumer holds no job it is not about to work on
		config.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
		config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
		return config;
	}

	@Bean
	BrokenConsumers brokenConsumers(ApplicationContext context) {
		return new BrokenConsumers(context);
	}

	@Bean
	JobsShutdown jobsShutdown(ImageJobListener listener, JobsProperties jobs,
			ShareKafkaMessageListenerContainer<String, IngestImage> imageJobContainer) {
		return new JobsShutdown(listener, jobs.shutdownGrace(), imageJobContainer.getPhase());
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
