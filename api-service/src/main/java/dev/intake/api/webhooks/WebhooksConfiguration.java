package dev.intake.api.webhooks;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import dev.intake.platform.outbound.NameResolver;
import dev.intake.platform.webhooks.WebhookRegistry;
import dev.intake.platform.webhooks.WebhookWrites;
import dev.intake.platform.webhooks.WebhooksProperties;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The webhook subscriptions API: its registry and attempt log (views of their topics) and its writes. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhooksProperties.class)
class WebhooksConfiguration {

	@Bean(destroyMethod = "close")
	WebhookRegistry webhookRegistry(KafkaProperties kafka) {
		return new WebhookRegistry(consumerConfig(kafka));
	}

	@Bean(destroyMethod = "close")
	AttemptLog webhookAttemptLog(KafkaProperties kafka, WebhooksProperties props) {
		return new AttemptLog(consumerConfig(kafka), props.attemptsListed());
	}

	@Bean(destroyMethod = "close")
	WebhookWrites webhookWrites(KafkaProperties kafka) {
		return new WebhookWrites(kafka.buildProducerProperties(), Duration.ofSeconds(10));
	}

	@Bean(destroyMethod = "close")
	WebhookSubscriptions webhookSubscriptions(WebhookRegistry registry, AttemptLog attempts, WebhookWrites writes,
			WebhooksProperties props) {
		return new WebhookSubscriptions(registry, attempts, writes, props, Clock.systemUTC(), NameResolver.SYSTEM);
	}

	@Bean
	BatchCallbacks batchCallbacks(WebhookSubscriptions subscriptions, WebhookWrites writes) {
		return new BatchCallbacks(subscriptions, writes, Clock.systemUTC());
	}

	private static Map<String, Object> consumerConfig(KafkaProperties kafka) {
		return kafka.buildConsumerProperties();
	}

}
