package dev.intake.api.limits;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Per-tenant rate limits and quotas ({@link RateLimitFilter}, {@link TenantQuotas}) and the
 * server's read timeout, deadline and minimum rate on request bodies ({@link BodyDeadlineFilter}),
 * so a client that stops sending mid-body, or trickles it, loses its connection instead of holding it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LimitProperties.class)
class LimitsConfiguration {

	@Bean
	TenantQuotas tenantQuotas(LimitProperties limits) {
		return new TenantQuotas(limits);
	}

	@Bean
	RateLimitFilter rateLimitFilter(TenantQuotas quotas) {
		return new RateLimitFilter(quotas);
	}

	@Bean
	BodyDeadlineFilter bodyDeadlineFilter(LimitProperties limits) {
		return new BodyDeadlineFilter(limits);
	}

	@Bean
	NettyServerCustomizer requestReadTimeout(LimitProperties limits) {
		return server -> server.readTimeout(limits.readTimeout());
	}

}
