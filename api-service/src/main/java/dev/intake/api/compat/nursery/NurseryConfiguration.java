package dev.intake.api.compat.nursery;

import java.time.Clock;

import dev.intake.api.status.StatusServiceClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.filter.reactive.UrlHandlerFilter;

/** The nursery image API: its routes, its batch links and its error shape, the security layer's refusals included. */
@Configuration(proxyBeanMethods = false)
class NurseryConfiguration {

	@Bean
	NurseryErrors nurseryRefusals() {
		return new NurseryErrors();
	}

	/**
	 * The routes with a trailing slash ({@code /image_upload/} …) are served as without it; the
	 * path is changed before the security layer sees it.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	UrlHandlerFilter nurseryTrailingSlash() {
		return UrlHandlerFilter.trailingSlashHandler(NurseryErrors.PATHS.toArray(String[]::new)).mutateRequest().build();
	}

	/** Links go out through the api-service's transactional producer, as batches do. */
	@Bean
	BatchLinks nurseryBatchLinks(StatusServiceClient statusService, KafkaTemplate<String, byte[]> batchKafkaTemplate,
			JsonMapper json) {
		return new BatchLinks(statusService, batchKafkaTemplate, json, Clock.systemUTC());
	}

}
