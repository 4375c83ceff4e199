package dev.intake.status.progress;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

/**
 * Runs the {@link BatchProgressTopology} in the Kafka Streams instance Boot builds from
 * {@code spring.kafka.streams.*} (see {@code status-service.yml}).
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class ProgressStreamsConfiguration {

	private static final Log logger = LogFactory.getLog(ProgressStreamsConfiguration.class);

	@Bean
	StreamsBuilderFactoryBeanConfigurer batchProgressTopologyConfigurer() {
		return factoryBean -> {
			factoryBean.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
				@Override
				public void configureBuilder(StreamsBuilder builder) {
					BatchProgressTopology.build(builder);
				}
			});
			// A clean stop leaves the group at once, so a restarted or surviving instance takes
			// over the partitions now instead of after the session timeout (45 s).
			factoryBean.setLeaveGroupOnClose(true);
			// A failed stream thread is replaced rather than taking the whole client down; its
			// tasks restart from the last committed state (exactly-once).
			factoryBean.setStreamsUncaughtExceptionHandler(ex -> {
				logger.error("Kafka Streams thread failed; replacing it", ex);
				return StreamThreadExceptionResponse.REPLACE_THREAD;
			});
		};
	}

	@Bean
	StreamsHealthIndicator streamsHealthIndicator(StreamsBuilderFactoryBean streams) {
		return new StreamsHealthIndicator(streams);
	}

}
