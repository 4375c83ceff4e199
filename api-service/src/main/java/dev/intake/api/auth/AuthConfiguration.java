package dev.intake.api.auth;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Bearer-token authentication of the API (health probes and image URLs stay public). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthProperties.class)
class AuthConfiguration {

	private static final Log logger = LogFactory.getLog(AuthConfiguration.class);

	@Bean
	BearerTokenFilter bearerTokenFilter(AuthProperties properties) {
		ApiTokens tokens = new ApiTokens(properties.tokens());
		if (tokens.isEmpty()) {
			logger.warn("No API token is configured (set intake.auth.tokens.<tenant> or INTAKE_API_TOKEN): "
					+ "every API request will be refused with 401");
		}
		return new BearerTokenFilter(tokens);
	}

}
