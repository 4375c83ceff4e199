package dev.intake.platform.kafka;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How Intake's topics are created ({@code intake.topics.*}). {@code batch-partitions} applies to
 * both {@code intake.batches} and {@code intake.results}: they must stay co-partitioned.
 *
 * @param create declare the topics at start-up (existing topics are left as they are)
 * @param batchPartitions partitions of {@code intake.batches}, {@code intake.results},
 * {@code intake.events}, the compacted catalogue {@code intake.assets}, the nursery links
 * {@code intake.nursery-links}, {@code intake.webhooks} and {@code intake.webhook-attempts}
 * ({@code intake.asset-ids} always has one); they bound the status-service's parallelism
 * @param jobPartitions partitions of {@code intake.jobs} and its dead-letter topic (which has at
 * least as many as {@code intake.interactive-jobs} too), which the workers
 * consume as a share group: any number of worker threads share them, and Kafka's share assignor gives
 * each partition to consumers / partitions of them (rounded up). Keep it at most half the worker
 * threads (workers × {@code intake.worker.jobs.concurrency}), so every partition has two consumers
 * or more and a slow job holds back no other (docs/operations.md)
 * @param interactiveJobPartitions partitions of {@code intake.interactive-jobs}, the jobs of
 * single-file uploads, which each worker consumes with threads of their own
 * ({@code intake.worker.jobs.interactive-concurrency}); one lets every such thread share it, so a
 * slow upload holds back no other
 * @param deliveryPartitions partitions of {@code intake.webhook-deliveries} (and its retry topics)
 * and {@code intake.discards}, which consumer groups read: at most this many webhook delivery
 * threads, and threads deleting losing uploads, work at once
 * @param replicationFactor replicas of Intake's topics and of Kafka Streams' internal topics; 3 or
 * more for durability beyond one broker
 * @param retention how long batches and results are kept; at least the batch retention (the catalogue, asset ids and nursery links are kept for good)
 */
@Validated
@ConfigurationProperties("intake.topics")
public record IntakeTopicsProperties(@DefaultValue("true") boolean create, @DefaultValue("6") @Min(1) int batchPartitions,
		@DefaultValue("4") @Min(1) int jobPartitions, @DefaultValue("1") @Min(1) int interactiveJobPartitions,
		@DefaultValue("12") @Min(1) int deliveryPartitions,
		@DefaultValue("1") @Min(1) short replicationFactor,
		@DefaultValue("30d") Duration retention) {
}
