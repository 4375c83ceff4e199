package dev.intake.api.retry;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The retry route: the status-service it asks (the same {@code intake.status-service.*}
 * settings as status look-ups) and the api's transactional batch producer it publishes with.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RetryConfiguration.StatusService.class)
class RetryConfiguration {

	@Bean
	BatchRetry batchRetry(WebClient.Builder builder, StatusService statusService, RetryPublisher retryPublisher) {
		WebClient client = builder.clone().baseUrl(statusService.baseUrl().toString()).build();
		return new BatchRetry(new RetryableItemsClient(client, statusService.timeout()), retryPublisher,
				Clock.systemUTC());
	}

	@Bean
	RetryPublisher retryPublisher(@Qualifier("batchKafkaTemplate") KafkaTemplate<String, byte[]> batchKafkaTemplate) {
		return new KafkaRetryPublisher(batchKafkaTemplate);
	}

	/**
	 * The status-service settings the retry route reads ({@code intake.status-service.*}, listed
	 * with the status route's).
	 */
	@Validated
	@ConfigurationProperties("intake.status-service")
	record StatusService(@DefaultValue("http://127.0.0.1:8081") @NotNull URI baseUrl,
			@DefaultValue("10s") Duration timeout) {
	}

}
