package dev.intake.api.status;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/** Batch status look-ups and live progress streams, relayed to the status-service. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StatusServiceProperties.class)
class StatusConfiguration {

	@Bean
	BatchStatusRelay batchStatusRelay(WebClient.Builder builder, StatusServiceProperties properties) {
		return new BatchStatusRelay(builder.baseUrl(properties.baseUrl().toString()).build(), properties);
	}

	@Bean
	BatchEventsRelay batchEventsRelay(WebClient.Builder builder, BatchStatusRelay answers,
			StatusServiceProperties properties) {
		return new BatchEventsRelay(builder.baseUrl(properties.baseUrl().toString()).build(), answers, properties);
	}

}
