package dev.intake.platform.observe;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The bounded {@code tenant} tag every service's metrics share ({@link TenantTags}). */
@AutoConfiguration
@EnableConfigurationProperties(MetricsProperties.class)
public class ObservabilityConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TenantTags tenantTags(MetricsProperties props) {
		return new TenantTags(props.maxTenants());
	}

}
