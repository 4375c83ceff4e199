package dev.intake.platform.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import dev.intake.contracts.Topic;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads a whole topic from its beginning, forever, on a thread of its own, and hands every record
 * to {@code apply} (which keeps whatever in-memory state it builds from them): a view of a small
 * compacted topic, such as the webhook subscriptions, in every instance that needs it. No consumer
 * group: every instance reads every partition.
 * <p>
 * Read-your-writes: {@link #sync()} completes once the view has applied every record written to
 * the topic before the call (the partitions' end offsets are read, then the view's position must
 * reach them), the same rule as the status look-ups' catch-up. Thread-safe; {@code apply} runs on
 * the view's thread only.
 */
public final class TopicView<V> implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(TopicView.class);

	private static final Duration POLL = Duration.ofMillis(50);

	private final Topic<String, V> topic;

	private final Consumer<ConsumerRecord<String, V>> apply;

	private final KafkaConsumer<String, V> consumer;

	private final ConcurrentLinkedQueue<CompletableFuture<Void>> requested = new ConcurrentLinkedQueue<>();

	private final List<Waiter> waiting = new ArrayList<>();

	private final Thread thread;

	private volatile boolean running = true;

	private record Waiter(Map<TopicPartition, Long> end, CompletableFuture<Void> done) {
	}

	/**
	 * @param consumerConfig connection settings (bootstrap servers, security); group, offsets and
	 * deserializers are the view's own
	 */
	public TopicView(Topic<String, V> topic, Map<String, Object> consumerConfig,
			Consumer<ConsumerRecord<String, V>> apply) {
		this.topic = topic;
		this.apply = apply;
		Map<String, Object> config = new HashMap<>(consumerConfig);
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
		this.consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(),
				topic.valueSerde().deserializer());
		this.thread = new Thread(this::run, "intake-view-" + topic.name());
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * Waits, at most {@code timeout}, until every record written to the topic before this call is
	 * applied; a wait given up is withdrawn, so waits abandoned during an outage do not pile up.
	 * @return false when that took longer than {@code timeout} (or the view is closed)
	 */
	public boolean awaitSync(Duration timeout) {
		CompletableFuture<Void> synced = sync();
		try {
			synced.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException | ExecutionException ex) {
			synced.cancel(false);
			return false;
		}
		catch (InterruptedException ex) {
			synced.cancel(false);
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Completes once every record written to the topic before this call is applied. */
	public CompletableFuture<Void> sync() {
		CompletableFuture<Void> done = new CompletableFuture<>();
		requested.add(done);
		// cut a poll that waits for records short: the request is answered at once
		consumer.wakeup();
		return done;
	}

	private void run() {
		try {
			List<TopicPartition> partitions = partitions();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			while (running) {
				try {
					for (ConsumerRecord<String, V> record : consumer.poll(POLL)) {
						applySafely(record);
					}
					answerSyncs(partitions);
				}
				catch (WakeupException ex) {
					// a sync request cut a poll or a look-up short; closing ends the loop
				}
				catch (RecordDeserializationException ex) {
					logger.warn("Skipped an unreadable record of " + topic.name() + ": " + ex.getMessage());
					consumer.seek(ex.topicPartition(), ex.offset() + 1);
				}
				catch (KafkaException ex) {
					// the broker is away (a look-up timed out): the view keeps trying, syncs wait
					logger.warn("The view of " + topic.name() + " is behind: " + ex.getMessage());
					sleep();
				}
			}
		}
		catch (WakeupException ex) {
			// closing
		}
		catch (RuntimeException ex) {
			if (running) {
				logger.error("The view of " + topic.name() + " stopped", ex);
			}
		}
		finally {
			RuntimeException closed = new IllegalStateException("the view of " + topic.name() + " is closed");
			requested.forEach(done -> done.completeExceptionally(closed));
			waiting.forEach(waiter -> waiter.done().completeExceptionally(closed));
			consumer.close(Duration.ofSeconds(1));
		}
	}

	private List<TopicPartition> partitions() {
		while (running) {
			try {
				List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10));
				if (infos != null && !infos.isEmpty()) {
					return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
				}
				sleep();
			}
			catch (WakeupException ex) {
				// a sync request; answered once the partitions are known
			}
			catch (KafkaException ex) {
				// the broker is not reachable yet (start-up, an outage): keep asking, syncs wait
				logger.warn("The view of " + topic.name() + " waits for the broker: " + ex.getMessage());
				sleep();
			}
		}
		throw new WakeupException();
	}

	private void answerSyncs(List<TopicPartition> partitions) {
		// a request its caller gave up on (cancelled) is dropped, so an outage cannot pile them up
		requested.removeIf(CompletableFuture::isDone);
		waiting.removeIf(waiter -> waiter.done().isDone());
		if (!requested.isEmpty()) {
			// one look-up answers every request made before it; a request stays queued until it has
			List<CompletableFuture<Void>> batch = new ArrayList<>(requested);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
			requested.removeAll(batch);
			batch.forEach(done -> waiting.add(new Waiter(end, done)));
		}
		for (Iterator<Waiter> it = waiting.iterator(); it.hasNext();) {
			Waiter waiter = it.next();
			if (waiter.end().entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
				it.remove();
				waiter.done().complete(null);
			}
		}
	}

	private void applySafely(ConsumerRecord<String, V> record) {
		try {
			apply.accept(record);
		}
		catch (RuntimeException ex) {
			logger.warn("Skipped record " + record.partition() + "@" + record.offset() + " of " + topic.name(), ex);
		}
	}

	private void sleep() {
		try {
			Thread.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new WakeupException();
		}
	}

	@Override
	public void close() {
		running = false;
		consumer.wakeup();
		try {
			thread.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
