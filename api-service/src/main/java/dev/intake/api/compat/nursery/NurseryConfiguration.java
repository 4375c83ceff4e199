package dev.intake.api.compat.nursery;

import java.time.Clock;

import dev.intake.api.status.StatusServiceClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/** The nursery image API: its routes, its batch links and its error shape, the security layer's refusals included. */
@Configuration(proxyBeanMethods = false)
class NurseryConfiguration {

	@Bean
	NurseryErrors nurseryRefusals() {
		return new NurseryErrors();
	}

	/** Links go out through the api-service's transactional producer, as batches do. */
	@Bean
	BatchLinks nurseryBatchLinks(StatusServiceClient statusService, KafkaTemplate<String, byte[]> batchKafkaTemplate,
			JsonMapper json) {
		return new BatchLinks(statusService, batchKafkaTemplate, json, Clock.systemUTC());
	}

}
