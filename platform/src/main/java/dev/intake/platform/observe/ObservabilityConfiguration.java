package dev.intake.platform.observe;

import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SdkTracerProviderBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The bounded {@code tenant} tag every service's metrics share ({@link TenantTags}), and spans
 * recorded only where an exporter sends them on ({@link SpanRecording}).
 */
@AutoConfiguration
@EnableConfigurationProperties(MetricsProperties.class)
public class ObservabilityConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TenantTags tenantTags(MetricsProperties props) {
		return new TenantTags(props.maxTenants());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SdkTracerProviderBuilderCustomizer.class)
	static class Tracing {

		@Bean
		SdkTracerProviderBuilderCustomizer spanRecording(ObjectProvider<SpanExporter> exporters, Environment environment) {
			return new SpanRecording(exporters, environment);
		}

	}

}
