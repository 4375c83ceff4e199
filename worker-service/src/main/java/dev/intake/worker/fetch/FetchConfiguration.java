package dev.intake.worker.fetch;

import dev.intake.platform.outbound.NameResolver;
import dev.intake.worker.metrics.WorkerMetrics;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The worker's one {@link RemoteFetcher}, using the system resolver. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FetchProperties.class)
class FetchConfiguration {

	@Bean
	RemoteFetcher remoteFetcher(FetchProperties props, WorkerMetrics metrics) {
		return new RemoteFetcher(props, NameResolver.SYSTEM, metrics::fetched);
	}

}
