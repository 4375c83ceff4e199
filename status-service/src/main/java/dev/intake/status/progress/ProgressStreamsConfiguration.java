package dev.intake.status.progress;

import java.util.Properties;

import dev.intake.contracts.Topics;
import dev.intake.platform.kafka.IntakeTopicsProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.KStream;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Runs the {@link BatchProgressTopology}, and every {@link ProgressChangesTopology} bean on its
 * changes, in the Kafka Streams instance Boot builds from
 * {@code spring.kafka.streams.*} (see {@code status-service.yml}).
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
@EnableConfigurationProperties(RetentionProperties.class)
class ProgressStreamsConfiguration {

	private static final Log logger = LogFactory.getLog(ProgressStreamsConfiguration.class);

	@Bean
	StreamsBuilderFactoryBeanConfigurer batchProgressTopologyConfigurer(RetentionProperties retention,
			IntakeTopicsProperties topics, ObjectProvider<BatchProgressListener> listener,
			ObjectProvider<ProgressChangesTopology> parts, ObjectUrls urls) {
		return factoryBean -> {
			// The store's changelog and repartition topics are replicated like Intake's own topics.
			Properties config = new Properties();
			config.putAll(factoryBean.getStreamsConfiguration());
			config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) topics.replicationFactor());
			factoryBean.setStreamsConfiguration(config);
			factoryBean.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
				@Override
				public void configureBuilder(StreamsBuilder builder) {
					KStream<String, BatchProgress> changes = BatchProgressTopology.build(builder, retention,
							listener.getIfAvailable(() -> BatchProgressListener.NONE), urls);
					parts.orderedStream().forEach(part -> part.build(builder, changes));
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

	/**
	 * {@code intake.events}, where the topology publishes its CloudEvents; declared here
	 * until platform declares it with the other topics.
	 */
	@Bean
	@ConditionalOnProperty(name = "intake.topics.create", matchIfMissing = true)
	NewTopic intakeEventsTopic(IntakeTopicsProperties topics) {
		return TopicBuilder.name(Topics.EVENTS)
			.partitions(topics.batchPartitions())
			.replicas(topics.replicationFactor())
			.config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(topics.retention().toMillis()))
			.build();
	}

	@Bean
	StreamsHealthIndicator streamsHealthIndicator(StreamsBuilderFactoryBean streams) {
		return new StreamsHealthIndicator(streams);
	}

}
