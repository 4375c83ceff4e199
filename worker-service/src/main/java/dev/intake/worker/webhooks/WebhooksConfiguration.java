package dev.intake.worker.webhooks;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.intake.contracts.Topics;
import dev.intake.contracts.WebhookDelivery;
import dev.intake.platform.kafka.IntakeTopicsProperties;
import dev.intake.platform.outbound.NameResolver;
import dev.intake.platform.webhooks.WebhookRegistry;
import dev.intake.platform.webhooks.WebhookWrites;
import dev.intake.platform.webhooks.WebhooksProperties;
import dev.intake.worker.metrics.WorkerMetrics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.retrytopic.DeadLetterPublishingRecovererFactory;
import org.springframework.kafka.retrytopic.DestinationTopicResolver;
import org.springframework.kafka.retrytopic.RetryTopicComponentFactory;
import org.springframework.kafka.retrytopic.RetryTopicConfiguration;
import org.springframework.kafka.retrytopic.RetryTopicConfigurationBuilder;
import org.springframework.kafka.retrytopic.SameIntervalTopicReuseStrategy;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The webhook dispatcher, part of every worker instance so it scales with them: the fan-out from
 * {@code intake.events} ({@link EventFanOut}, group {@code intake-webhooks}) and the deliveries
 * ({@link WebhookDeliveries}, group {@code intake-webhook-deliveries}, {@code concurrency} threads,
 * {@code retry-concurrency} per retry topic)
 * with Spring Kafka's non-blocking retries: one retry topic per wait of the schedule
 * ({@code intake.webhook-deliveries-retry-N}), whose partitions are paused until a record is due
 * (its wait plus its own jitter, {@link RetryDue}), so waiting deliveries live in Kafka, not in
 * memory, and survive restarts.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhooksProperties.class)
class WebhooksConfiguration {

	/** Deliveries polled at once: every one may take the whole attempt timeout. */
	private static final int DELIVERIES_PER_POLL = 8;

	/** Endpoints whose breaker state one instance keeps. */
	private static final int TRACKED_ENDPOINTS = 10_000;

	@Bean(destroyMethod = "close")
	WebhookRegistry webhookRegistry(KafkaProperties kafka, KafkaConnectionDetails connection) {
		return new WebhookRegistry(consumerConfig(kafka, connection));
	}

	@Bean(destroyMethod = "close")
	WebhookWrites webhookWrites(KafkaProperties kafka, KafkaConnectionDetails connection) {
		Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
		config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, connection.getProducer().getBootstrapServers());
		return new WebhookWrites(config, Duration.ofSeconds(30));
	}

	@Bean(destroyMethod = "close")
	WebhookSender webhookSender(WebhooksProperties props, WorkerMetrics metrics) {
		return new WebhookSender(props, new EndpointGuards(props.maxPerEndpoint(), props.breakerFailures(),
				props.breakerOpen(), TRACKED_ENDPOINTS), Clock.systemUTC(), NameResolver.SYSTEM, metrics);
	}

	@Bean
	EventFanOut webhookFanOut(WebhookRegistry registry, WebhookWrites writes) {
		return new EventFanOut(registry, writes, Clock.systemUTC());
	}

	@Bean
	WebhookDeliveries webhookDeliveries(WebhookRegistry registry, WebhookSender sender, WebhookWrites writes,
			WebhooksProperties props, WorkerMetrics metrics) {
		return new WebhookDeliveries(registry, sender, writes, props, Clock.systemUTC(), metrics);
	}

	@Bean
	ConcurrentKafkaListenerContainerFactory<String, byte[]> webhookEventContainerFactory(KafkaProperties kafka,
			KafkaConnectionDetails connection) {
		Map<String, Object> config = consumerConfig(kafka, connection);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
		factory.setConsumerFactory(
				new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer()));
		factory.setBatchListener(true);
		factory.getContainerProperties().setAckMode(AckMode.BATCH);
		// an event whose fan-out fails (the broker is away) is tried again, never skipped
		factory.setCommonErrorHandler(new DefaultErrorHandler(new FixedBackOff(1000, FixedBackOff.UNLIMITED_ATTEMPTS)));
		return factory;
	}

	@Bean
	ConcurrentKafkaListenerContainerFactory<String, WebhookDelivery> webhookDeliveryContainerFactory(
			KafkaProperties kafka, KafkaConnectionDetails connection, WebhooksProperties props) {
		Map<String, Object> config = consumerConfig(kafka, connection);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, DELIVERIES_PER_POLL);
		config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
				Math.toIntExact(props.timeout().toMillis() * DELIVERIES_PER_POLL * 2 + 60_000));
		var factory = new ConcurrentKafkaListenerContainerFactory<String, WebhookDelivery>();
		factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
				new ErrorHandlingDeserializer<>(Topics.WEBHOOK_DELIVERIES.valueSerde().deserializer())));
		factory.setConcurrency(props.concurrency());
		// offsets are committed after each poll's records (a failed one's earlier ones first)
		factory.getContainerProperties().setAckMode(AckMode.BATCH);
		return factory;
	}

	@Bean
	KafkaTemplate<String, WebhookDelivery> webhookRetryTemplate(KafkaProperties kafka,
			KafkaConnectionDetails connection) {
		Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
		config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, connection.getProducer().getBootstrapServers());
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config, new StringSerializer(),
				Topics.WEBHOOK_DELIVERIES.valueSerde().serializer()));
	}

	@Bean
	RetryTopicConfiguration webhookRetryTopics(KafkaTemplate<String, WebhookDelivery> webhookRetryTemplate,
			WebhooksProperties props, IntakeTopicsProperties topics) {
		return RetryTopicConfigurationBuilder.newInstance()
			.includeTopic(Topics.WEBHOOK_DELIVERIES.name())
			.maxAttempts(props.maxAttempts())
			.customBackoff(new DeliverySchedule(props.retrySchedule(), props.jitterFraction()))
			.suffixTopicsWithIndexValues()
			.sameIntervalTopicReuseStrategy(SameIntervalTopicReuseStrategy.MULTIPLE_TOPICS)
			.autoCreateTopicsWith(topics.deliveryPartitions(), topics.replicationFactor())
			.listenerFactory("webhookDeliveryContainerFactory")
			// retries are fewer than first attempts: each retry topic gets its own, smaller set of consumers
			.concurrency(props.retryConcurrency())
			.dltHandlerMethod("webhookDeliveries", "onDeadLetter")
			.create(webhookRetryTemplate);
	}

	/**
	 * Spring Kafka's retry topic parts, with one change: a record sent on to a retry topic is due
	 * at the time its {@link DeliveryFailed} names (jitter per record), not at the topic's wait.
	 */
	@Bean
	RetryTopicComponentFactory webhookRetryComponents() {
		return new RetryTopicComponentFactory() {

			@Override
			public DeadLetterPublishingRecovererFactory deadLetterPublishingRecovererFactory(
					DestinationTopicResolver resolver) {
				DeadLetterPublishingRecovererFactory factory = super.deadLetterPublishingRecovererFactory(resolver);
				factory.setHeadersFunction(RetryDue::headers);
				return factory;
			}

		};
	}

	private static Map<String, Object> consumerConfig(KafkaProperties kafka, KafkaConnectionDetails connection) {
		Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
		config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, connection.getConsumer().getBootstrapServers());
		config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		return config;
	}

}
