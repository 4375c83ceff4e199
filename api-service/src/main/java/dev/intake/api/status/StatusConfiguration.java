package dev.intake.api.status;

import dev.intake.contracts.InternalApi;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/** Batch status look-ups and live progress streams, relayed to the status-service. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ StatusServiceProperties.class, InternalApiProperties.class })
class StatusConfiguration {

	@Bean
	BatchStatusRelay batchStatusRelay(StatusServiceClient statusService, StatusServiceProperties properties) {
		return new BatchStatusRelay(statusService, properties,
				new FinishedStatusAnswers(properties.finishedAnswersSize().toBytes()));
	}

	@Bean
	BatchEventsRelay batchEventsRelay(StatusServiceClient statusService, BatchStatusRelay answers,
			StatusServiceProperties properties) {
		return new BatchEventsRelay(statusService, answers, properties);
	}

	/** A client of the status-service's internal API, with the shared service credential. */
	@Bean
	StatusServiceClient statusServiceClient(WebClient.Builder builder, StatusServiceProperties properties,
			InternalApiProperties internal) {
		int maxAnswerSize = Math.toIntExact(properties.maxResponseSize().toBytes());
		// answers read whole (asset, nursery links, retryable items) may be as large as a relayed status
		WebClient.Builder client = builder.clone()
			.baseUrl(properties.baseUrl().toString())
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(maxAnswerSize));
		if (internal.token() != null && !internal.token().isBlank()) {
			client.defaultHeader(InternalApi.TOKEN_HEADER, internal.token());
		}
		return new StatusServiceClient(client.build(), properties.timeout());
	}

}
