package dev.intake.worker.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.core.DefaultShareConsumerFactory;
import org.springframework.kafka.listener.AcknowledgingShareConsumerAwareMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.ShareKafkaMessageListenerContainer;
import org.springframework.kafka.support.ShareAcknowledgment;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How far a job whose thread is blocked (a slow origin) holds other jobs back, against a real
 * broker, with the jobs' share consumer settings ({@link JobsConfiguration#shareConsumerConfig}:
 * one job acquired per poll, explicit answers) and the container set up as the workers' is. A
 * consumer acquires nothing while its thread is busy (no job waits in its buffer), but the share
 * group assigns each partition to one consumer while it has no more consumers than partitions:
 * the jobs of the busy consumer's partitions wait for it, those of every other partition do not.
 * With more consumers than partitions each partition has several, and a busy one holds nothing
 * back.
 */
class SlowJobHoldBackTest {

	private static final int QUICK_PER_PARTITION = 2;

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static EmbeddedKafkaKraftBroker kafka;

	private static Admin admin;

	@BeforeAll
	static void startBroker() {
		kafka = new EmbeddedKafkaKraftBroker(1, 1);
		kafka.brokerProperties(Map.of("share.coordinator.state.topic.replication.factor", "1",
				"share.coordinator.state.topic.min.isr", "1", "group.initial.rebalance.delay.ms", "0"));
		kafka.afterPropertiesSet();
		admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()));
	}

	@AfterAll
	static void stopBroker() {
		admin.close();
		kafka.destroy();
	}

	@Test
	void aBusyConsumerHoldsBackTheJobsOfThePartitionsAssignedToItAndNoOthers() throws Exception {
		try (var run = new Run("held", 4, 2)) {
			Set<TopicPartition> busyPartitions = run.awaitSlowJobStarted();
			// each of the two consumers owns two of the four partitions, the slow job's among the busy one's
			assertThat(busyPartitions).hasSize(2).contains(new TopicPartition(run.topic, 0));
			run.sendQuickJobs();

			// the jobs of the other consumer's partitions end while the slow job runs
			int free = (4 - busyPartitions.size()) * QUICK_PER_PARTITION;
			await().atMost(WAIT).until(() -> run.done.size() == free);
			Thread.sleep(2000);
			assertThat(run.done).hasSize(free);
			assertThat(run.done.values()).noneMatch(busyPartitions::contains);

			// the others wait for the busy consumer and are worked by it once the slow job ends
			run.release.countDown();
			await().atMost(WAIT).until(() -> run.done.size() == 4 * QUICK_PER_PARTITION);
			assertThat(run.threads.entrySet()
				.stream()
				.filter(job -> busyPartitions.contains(run.done.get(job.getKey())))
				.map(Map.Entry::getValue)
				.collect(Collectors.toSet())).containsExactly(run.slowThread);
		}
	}

	@Test
	void withMoreConsumersThanPartitionsABusyConsumerHoldsNothingBack() throws Exception {
		try (var run = new Run("shared", 1, 2)) {
			Set<TopicPartition> busyPartitions = run.awaitSlowJobStarted();
			assertThat(busyPartitions).containsExactly(new TopicPartition(run.topic, 0));
			run.sendQuickJobs();

			// the partition's other consumer takes them all while the slow job runs
			await().atMost(WAIT).until(() -> run.done.size() == QUICK_PER_PARTITION);
			assertThat(run.slowDone.getCount()).isOne();
			run.release.countDown();
		}
	}

	/** A share group of {@code consumers} consumers on a topic of {@code partitions}, one slow job among quick ones. */
	private static final class Run implements AutoCloseable {

		final String topic;

		final String group;

		final int partitions;

		final ShareKafkaMessageListenerContainer<String, String> container;

		final KafkaProducer<String, String> producer;

		/** The partition of each quick job done. */
		final Map<String, TopicPartition> done = new ConcurrentHashMap<>();

		/** The thread that did each quick job. */
		final Map<String, String> threads = new ConcurrentHashMap<>();

		final CountDownLatch slowStarted = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final CountDownLatch slowDone = new CountDownLatch(1);

		volatile String slowThread;

		Run(String name, int partitions, int consumers) throws Exception {
			this.topic = "jobs." + name;
			this.group = "workers." + name;
			this.partitions = partitions;
			admin.createTopics(List.of(new NewTopic(this.topic, partitions, (short) 1))).all().get();
			JobsShareGroup.prepare(admin, this.group, Duration.ofMinutes(1), Duration.ofMinutes(1));
			Map<String, Object> config = JobsConfiguration.shareConsumerConfig(Map.of(),
					List.of(kafka.getBrokersAsString()), 1);
			var factory = new DefaultShareConsumerFactory<String, String>(config, new StringDeserializer(),
					new StringDeserializer(), true);
			ContainerProperties properties = new ContainerProperties(this.topic);
			properties.setGroupId(this.group);
			properties.setShareAckMode(ContainerProperties.ShareAckMode.MANUAL);
			properties.setMessageListener(
					(AcknowledgingShareConsumerAwareMessageListener<String, String>) this::onJob);
			this.container = new ShareKafkaMessageListenerContainer<>(factory, properties);
			this.container.setBeanName(this.group);
			this.container.setConcurrency(consumers);
			this.container.start();
			this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()),
					new StringSerializer(), new StringSerializer());
			awaitAssigned(consumers);
		}

		private void onJob(ConsumerRecord<String, String> record, ShareAcknowledgment acknowledgment,
				ShareConsumer<?, ?> consumer) {
			if (record.key().equals("slow")) {
				slowThread = Thread.currentThread().getName();
				slowStarted.countDown();
				try {
					release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				slowDone.countDown();
			}
			else {
				threads.put(record.key(), Thread.currentThread().getName());
				done.put(record.key(), new TopicPartition(record.topic(), record.partition()));
			}
			acknowledgment.acknowledge();
		}

		/** Waits until every consumer has joined and has its partitions (a later join would move them). */
		private void awaitAssigned(int consumers) {
			await().atMost(WAIT).until(() -> {
				var members = members();
				return members.size() == consumers && members.stream()
					.allMatch(member -> !member.assignment().topicPartitions().isEmpty())
					&& members.stream().mapToInt(member -> member.assignment().topicPartitions().size()).sum() >= Math
						.max(consumers, partitions);
			});
		}

		private List<ShareMemberDescription> members() throws Exception {
			return List.copyOf(admin.describeShareGroups(List.of(group)).all().get().get(group).members());
		}

		/** Sends the slow job to partition 0 and returns the partitions of the consumer working on it. */
		Set<TopicPartition> awaitSlowJobStarted() throws Exception {
			producer.send(new ProducerRecord<>(topic, 0, "slow", "slow")).get();
			assertThat(slowStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			// the member working on it is the one assigned partition 0 that is not free: with one
			// member per partition there is one; with several, any of them is as good for the test
			return members().stream()
				.map(member -> member.assignment().topicPartitions())
				.filter(assigned -> assigned.contains(new TopicPartition(topic, 0)))
				.findFirst()
				.orElseThrow();
		}

		void sendQuickJobs() throws Exception {
			for (int i = 0; i < QUICK_PER_PARTITION; i++) {
				for (int partition = 0; partition < partitions; partition++) {
					producer.send(new ProducerRecord<>(topic, partition, "quick-" + partition + "-" + i, "quick"));
				}
			}
			producer.flush();
		}

		@Override
		public void close() {
			release.countDown();
			producer.close();
			container.stop();
		}

	}

}
