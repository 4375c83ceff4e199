package dev.intake.api.status;

import dev.intake.api.limits.TenantQuotas;
import dev.intake.contracts.InternalApi;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
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
			StatusServiceProperties properties, TenantQuotas quotas) {
		return new BatchEventsRelay(statusService, answers, properties, quotas);
	}

	/**
	 * The connections live progress streams hold, apart from the look-ups' (which use the shared
	 * client resources): at most {@code max-event-streams}, a stream beyond them waiting up to the
	 * look-up deadline for one.
	 */
	@Bean(destroyMethod = "dispose")
	ConnectionProvider statusStreamConnections(StatusServiceProperties properties) {
		return ConnectionProvider.builder("intake-status-streams")
			.maxConnections(properties.maxEventStreams())
			.pendingAcquireMaxCount(properties.maxEventStreams())
			.pendingAcquireTimeout(properties.timeout())
			.build();
	}

	/** A client of the status-service's internal API, with the shared service credential. */
	@Bean
	StatusServiceClient statusServiceClient(WebClient.Builder builder, StatusServiceProperties properties,
			InternalApiProperties internal, ConnectionProvider statusStreamConnections) {
		int maxAnswerSize = Math.toIntExact(properties.maxResponseSize().toBytes());
		// answers read whole (asset, nursery links, retryable items) may be as large as a relayed status
		WebClient.Builder client = builder.clone()
			.baseUrl(properties.baseUrl().toString())
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(maxAnswerSize));
		if (internal.token() != null && !internal.token().isBlank()) {
			client.defaultHeader(InternalApi.TOKEN_HEADER, internal.token());
		}
		WebClient streams = client.clone()
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create(statusStreamConnections)))
			.build();
		return new StatusServiceClient(client.build(), streams, properties.timeout());
	}

}
