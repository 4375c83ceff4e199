package dev.intake.status.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.intake.contracts.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The job queue read from a real broker: the jobs published before a batch and not yet taken by
 * the workers' group are queued ahead of it; the group's progress gives a rate, and the rate an
 * estimated completion.
 */
class JobQueueTest {

	private static final String WORKERS = "intake-workers";

	private static final TopicPartition P0 = new TopicPartition(Topics.JOBS.name(), 0);

	private static final TopicPartition P1 = new TopicPartition(Topics.JOBS.name(), 1);

	private static EmbeddedKafkaKraftBroker broker;

	private static Admin admin;

	@BeforeAll
	static void start() throws Exception {
		broker = new EmbeddedKafkaKraftBroker(1, 1);
		broker.brokerProperties(Map.of("offsets.topic.replication.factor", "1", "group.initial.rebalance.delay.ms", "0",
				"share.coordinator.state.topic.replication.factor", "1", "share.coordinator.state.topic.min.isr", "1"));
		broker.afterPropertiesSet();
		admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()));
		admin.createTopics(List.of(new NewTopic(Topics.JOBS.name(), 2, (short) 1))).all().get();
	}

	@AfterAll
	static void stop() {
		admin.close();
		broker.destroy();
	}

	@Test
	void countsTheJobsAheadOfABatchAndEstimatesItsCompletionFromTheRecentRate() throws Exception {
		Instant submitted = Instant.now().minusSeconds(60);
		try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				broker.getBrokersAsString()), new StringSerializer(), new StringSerializer())) {
			// earlier batches: 4 jobs on partition 0, 3 on partition 1, published before the batch
			for (int i = 0; i < 4; i++) {
				producer.send(job(0, submitted.minusSeconds(30), "earlier-" + i)).get();
			}
			for (int i = 0; i < 3; i++) {
				producer.send(job(1, submitted.minusSeconds(20), "earlier-p1-" + i)).get();
			}
			// the batch: 2 jobs on each partition, published when it was submitted
			for (int i = 0; i < 2; i++) {
				producer.send(job(0, submitted, "batch-" + i)).get();
				producer.send(job(1, submitted.plusMillis(5), "batch-p1-" + i)).get();
			}
		}
		// the workers have done one earlier job of partition 0
		commit(Map.of(P0, 1L, P1, 0L));

		var registry = new SimpleMeterRegistry();
		var props = new QueueProperties(WORKERS, List.of(), Duration.ofHours(1), Duration.ofHours(2),
				Duration.ofMinutes(1), 16);
		try (JobQueue queue = new JobQueue(admin, props, "intake-status", registry, Clock.systemUTC())) {
			queue.refresh();
			QueuePosition first = queue.position("acme/b-1", submitted, 4).block();
			assertThat(first).isNotNull();
			assertThat(first.queuedAhead()).isEqualTo(3 + 3);
			assertThat(first.estimatedCompletion()).as("no rate known yet").isNull();
			assertThat(registry.get(JobQueue.LAG).tag("group", WORKERS).gauge().value()).isEqualTo(10);

			// the workers do the rest of the earlier jobs: nothing is ahead any more, and there is a rate
			commit(Map.of(P0, 4L, P1, 3L));
			await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
				queue.refresh();
				QueuePosition now = queue.position("acme/b-1", submitted, 4).block();
				assertThat(now).isNotNull();
				assertThat(now.queuedAhead()).isZero();
				assertThat(now.estimatedCompletion()).isNotNull().isAfter(Instant.now().minusSeconds(1));
			});
			assertThat(registry.get(JobQueue.RATE).gauge().value()).isPositive();
			assertThat(registry.get(JobQueue.LAG).tag("group", WORKERS).gauge().value()).isEqualTo(4);
			// a batch submitted after all of them waits behind the first batch's 4 jobs
			QueuePosition later = queue.position("acme/b-2", Instant.now(), 1).block();
			assertThat(later).isNotNull();
			assertThat(later.queuedAhead()).isEqualTo(4);
		}
	}

	private static ProducerRecord<String, String> job(int partition, Instant at, String key) {
		return new ProducerRecord<>(Topics.JOBS.name(), partition, at.toEpochMilli(), key, "{}");
	}

	/** Moves the workers' share group to these start offsets, as its members acknowledging jobs would. */
	private static void commit(Map<TopicPartition, Long> offsets) throws Exception {
		admin.alterShareGroupOffsets(WORKERS, offsets).all().get();
	}

}
