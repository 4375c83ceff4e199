package dev.intake.platform.kafka;

import java.util.Map;

import dev.intake.contracts.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Declares Intake's topics as {@link NewTopic} beans; Boot's {@link KafkaAdmin} creates the
 * missing ones when a service starts. Every service declares all of them, so any one can start
 * first.
 */
@AutoConfiguration
@EnableConfigurationProperties(IntakeTopicsProperties.class)
public class IntakeTopicsConfiguration {

	@Bean
	KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin admin) {
		return new KafkaHealthIndicator(admin);
	}

	@Bean
	@ConditionalOnProperty(name = "intake.topics.create", matchIfMissing = true)
	KafkaAdmin.NewTopics intakeTopics(IntakeTopicsProperties props) {
		Map<String, String> retained = Map.of(TopicConfig.RETENTION_MS_CONFIG,
				Long.toString(props.retention().toMillis()));
		return new KafkaAdmin.NewTopics(
				TopicBuilder.name(Topics.BATCHES.name())
					.partitions(props.batchPartitions())
					.replicas(props.replicationFactor())
					.configs(retained)
					.build(),
				TopicBuilder.name(Topics.RESULTS.name())
					.partitions(props.batchPartitions())
					.replicas(props.replicationFactor())
					.configs(retained)
					.build(),
				TopicBuilder.name(Topics.JOBS.name())
					.partitions(props.jobPartitions())
					.replicas(props.replicationFactor())
					.configs(retained)
					.build(),
				TopicBuilder.name(Topics.INTERACTIVE_JOBS.name())
					.partitions(props.interactiveJobPartitions())
					.replicas(props.replicationFactor())
					.configs(retained)
					.build(),
				// candidate verdicts spread over the content index as results over the batch views
				TopicBuilder.name(Topics.CANDIDATES.name())
					.partitions(props.batchPartitions())
					.replicas(props.replicationFactor())
					.configs(retained)
					.build(),
				// losing uploads to delete, spread over the workers' consumer group
				TopicBuilder.name(Topics.DISCARDS.name())
					.partitions(props.deliveryPartitions())
					.replicas(props.replicationFactor())
					.configs(retained)
					.build(),
				// the upload objects the content index keeps: the latest value per object, kept for good
				TopicBuilder.name(Topics.CONTENT_OBJECTS.name())
					.partitions(props.batchPartitions())
					.replicas(props.replicationFactor())
					.compact()
					.build(),
				// a dead-letter topic needs at least as many partitions as its sources
				TopicBuilder.name(Topics.JOBS_DLT)
					.partitions(Math.max(props.jobPartitions(), props.interactiveJobPartitions()))
					.replicas(props.replicationFactor())
					.configs(retained)
					.build(),
				// the catalogue: the latest value per asset is its state, kept for good
				TopicBuilder.name(Topics.ASSETS.name())
					.partitions(props.batchPartitions())
					.replicas(props.replicationFactor())
					.compact()
					.build(),
				// the nursery image API's links: each batch's links are rebuilt from them, kept for good
				TopicBuilder.name(Topics.NURSERY_LINKS.name())
					.partitions(props.batchPartitions())
					.replicas(props.replicationFactor())
					.config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)
					.config(TopicConfig.RETENTION_MS_CONFIG, "-1")
					.build(),
				// webhook subscriptions: the latest value per subscription is its state, kept for good
				TopicBuilder.name(Topics.WEBHOOKS.name())
					.partitions(props.batchPartitions())
					.replicas(props.replicationFactor())
					.compact()
					.build(),
				// deliveries spread over the dispatchers' consumer group
				TopicBuilder.name(Topics.WEBHOOK_DELIVERIES.name())
					.partitions(props.deliveryPartitions())
					.replicas(props.replicationFactor())
					.configs(retained)
					.build(),
				TopicBuilder.name(Topics.WEBHOOK_ATTEMPTS.name())
					.partitions(props.batchPartitions())
					.replicas(props.replicationFactor())
					.configs(retained)
					.build(),
				// ids are its offsets: one partition, never deleted, so no offset is issued twice
				TopicBuilder.name(Topics.ASSET_IDS)
					.partitions(1)
					.replicas(props.replicationFactor())
					.config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)
					.config(TopicConfig.RETENTION_MS_CONFIG, "-1")
					.build());
	}

}
