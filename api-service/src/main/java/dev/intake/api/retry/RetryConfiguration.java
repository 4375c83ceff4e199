package dev.intake.api.retry;

import java.time.Clock;

import dev.intake.api.status.StatusServiceClient;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The retry route: the status-service it asks (the same client, credential and deadline as status
 * look-ups) and the api's transactional batch producer it publishes with.
 */
@Configuration(proxyBeanMethods = false)
class RetryConfiguration {

	@Bean
	BatchRetry batchRetry(StatusServiceClient statusService, RetryPublisher retryPublisher) {
		return new BatchRetry(new RetryableItemsClient(statusService), retryPublisher, Clock.systemUTC());
	}

	@Bean
	RetryPublisher retryPublisher(@Qualifier("batchKafkaTemplate") KafkaTemplate<String, byte[]> batchKafkaTemplate) {
		return new KafkaRetryPublisher(batchKafkaTemplate);
	}

}
