package dev.intake.api.compat.anqicms;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The AnqiCMS attachment upload: its route and its error shape, the security layer's refusals included. */
@Configuration(proxyBeanMethods = false)
class AnqiCmsConfiguration {

	@Bean
	AnqiErrors anqiCmsRefusals() {
		return new AnqiErrors();
	}

}
