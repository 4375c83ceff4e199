package dev.intake.api.status;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/** Batch status look-ups and live progress streams, relayed to the status-service. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ StatusServiceProperties.class, InternalApiProperties.class })
class StatusConfiguration {

	@Bean
	BatchStatusRelay batchStatusRelay(WebClient.Builder builder, StatusServiceProperties properties,
			InternalApiProperties internal) {
		return new BatchStatusRelay(statusService(builder, properties, internal), properties);
	}

	@Bean
	BatchEventsRelay batchEventsRelay(WebClient.Builder builder, BatchStatusRelay answers,
			StatusServiceProperties properties, InternalApiProperties internal) {
		return new BatchEventsRelay(statusService(builder, properties, internal), answers, properties);
	}

	/** A client of the status-service's internal API, with the shared service credential. */
	private static WebClient statusService(WebClient.Builder builder, StatusServiceProperties properties,
			InternalApiProperties internal) {
		builder.baseUrl(properties.baseUrl().toString());
		if (internal.token() != null && !internal.token().isBlank()) {
			builder.defaultHeader(InternalApiProperties.HEADER, internal.token());
		}
		return builder.build();
	}

}
