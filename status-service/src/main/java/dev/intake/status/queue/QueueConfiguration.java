package dev.intake.status.queue;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The job queue as seen from Kafka offsets ({@link JobQueue}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueueProperties.class)
class QueueConfiguration {

	@Bean(destroyMethod = "close")
	JobQueue jobQueue(Admin admin, QueueProperties props, MeterRegistry registry, Environment environment) {
		return new JobQueue(admin, props, environment.getRequiredProperty("spring.kafka.streams.application-id"),
				registry, Clock.systemUTC());
	}

}
