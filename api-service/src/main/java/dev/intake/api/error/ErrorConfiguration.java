package dev.intake.api.error;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Installs {@link ApiErrorHandler} in place of Boot's default error handler. */
@Configuration(proxyBeanMethods = false)
class ErrorConfiguration {

	@Bean
	ApiErrorHandler apiErrorHandler(JsonMapper json) {
		return new ApiErrorHandler(json);
	}

}
