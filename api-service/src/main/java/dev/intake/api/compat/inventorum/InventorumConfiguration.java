package dev.intake.api.compat.inventorum;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Inventorum images API: its routes and its error shapes, the security layer's refusals included. */
@Configuration(proxyBeanMethods = false)
class InventorumConfiguration {

	@Bean
	DrfErrors inventorumRefusals() {
		return new DrfErrors();
	}

}
