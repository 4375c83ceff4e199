package dev.intake.status.security;

import dev.intake.contracts.InternalApi;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.server.WebFilter;

/**
 * Guards the internal API with the shared service credential and sends that credential on this
 * instance's own calls to {@code /internal/**} of its peers (forwarded look-ups).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InternalApiProperties.class)
class InternalApiConfiguration {

	private static final Log logger = LogFactory.getLog(InternalApiConfiguration.class);

	@Bean
	WebFilter internalTokenFilter(InternalApiProperties properties) {
		if (!properties.enforced()) {
			logger.warn("intake.internal.token is not set: /internal/** answers without a service credential; "
					+ "set INTAKE_INTERNAL_TOKEN (same value in the api-service) unless only the services reach this port");
			return (exchange, chain) -> chain.filter(exchange);
		}
		return new InternalTokenFilter(properties.token());
	}

	@Bean
	WebClientCustomizer internalTokenOnPeerCalls(InternalApiProperties properties) {
		return builder -> builder.filter((request, next) -> {
			if (!properties.enforced() || !request.url().getPath().startsWith(InternalApi.ROOT + "/")) {
				return next.exchange(request);
			}
			return next.exchange(ClientRequest.from(request).header(InternalApi.TOKEN_HEADER, properties.token()).build());
		});
	}

}
