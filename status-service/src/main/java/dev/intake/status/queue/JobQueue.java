package dev.intake.status.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.intake.contracts.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Mono;

/**
 * Follows the job queue from Kafka offsets: every {@code refresh-interval} it reads the start
 * offsets of the workers' share group on {@code intake.jobs} (everything before them is done), the
 * committed offsets of the other groups it reports, and the topics' end offsets. From them come the consumer lag per group
 * ({@value #LAG}), the workers' recent rate ({@value #RATE}, over {@code rate-window}) and, per
 * batch, the jobs queued ahead of it: on each partition, those between the workers' start
 * offset and the first job published at or after the batch's submit time.
 * <p>
 * Offsets count records, and each transaction (one per accepted batch) leaves one commit marker
 * per partition it wrote: the numbers are a close upper bound of jobs, not an exact count.
 */
public final class JobQueue implements AutoCloseable {

	/** Gauge: records of a consumer group's partitions not yet committed, tag {@code group}. */
	public static final String LAG = "intake.consumer.lag";

	/** Gauge: jobs the workers committed per second over the rate window. */
	public static final String RATE = "intake.jobs.rate";

	private static final Log logger = LogFactory.getLog(JobQueue.class);

	private static final ListOffsetsOptions READ_COMMITTED = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);

	private final Admin admin;

	private final String workerGroup;

	private final Set<String> groups;

	private final Duration timeout;

	private final Duration rateWindow;

	private final Clock clock;

	private final Map<String, Map<TopicPartition, Long>> starts;

	private final Deque<long[]> committedHistory = new ArrayDeque<>();

	private final ScheduledExecutorService timer;

	private volatile Map<TopicPartition, Long> workerCommitted = Map.of();

	private volatile Map<TopicPartition, Long> jobEnds = Map.of();

	private final Map<String, Long> lags = new ConcurrentHashMap<>();

	private volatile double rate = Double.NaN;

	JobQueue(Admin admin, QueueProperties props, String streamsGroup, MeterRegistry registry, Clock clock) {
		this.admin = admin;
		this.workerGroup = props.workerGroup();
		Set<String> all = new LinkedHashSet<>();
		all.add(workerGroup);
		all.add(streamsGroup);
		all.addAll(props.lagGroups());
		this.groups = Set.copyOf(all);
		this.timeout = props.timeout();
		this.rateWindow = props.rateWindow();
		this.clock = clock;
		int capacity = props.cachedBatches();
		this.starts = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Map<TopicPartition, Long>> eldest) {
				return size() > capacity;
			}
		});
		for (String group : groups) {
			Gauge.builder(LAG, lags, map -> map.getOrDefault(group, -1L).doubleValue())
				.description("Records of the group's partitions not yet committed (-1: not known yet)")
				.tag("group", group)
				.register(registry);
		}
		Gauge.builder(RATE, this, queue -> Double.isNaN(queue.rate) ? 0 : queue.rate)
			.description("Jobs the workers committed per second, over the recent window")
			.register(registry);
		this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "intake-job-queue");
			thread.setDaemon(true);
			return thread;
		});
		long every = props.refreshInterval().toMillis();
		timer.scheduleWithFixedDelay(this::refreshQuietly, 0, every, TimeUnit.MILLISECONDS);
	}

	/**
	 * Where an unfinished batch submitted at {@code submittedAt} with {@code pending} items not yet
	 * done waits; empty while the queue has not been read yet or Kafka does not answer in time.
	 */
	public Mono<QueuePosition> position(String batch, Instant submittedAt, long pending) {
		Map<TopicPartition, Long> committed = workerCommitted;
		if (committed.isEmpty() || submittedAt == null) {
			return Mono.empty();
		}
		Map<TopicPartition, Long> cached = starts.get(batch);
		Mono<Map<TopicPartition, Long>> start = (cached != null) ? Mono.just(cached)
				: startsAt(committed.keySet(), submittedAt).doOnNext(found -> starts.put(batch, found));
		return start.map(offsets -> {
			long ahead = 0;
			for (Map.Entry<TopicPartition, Long> partition : offsets.entrySet()) {
				long done = committed.getOrDefault(partition.getKey(), 0L);
				ahead += Math.max(0, partition.getValue() - done);
			}
			double perSecond = rate;
			Instant eta = (perSecond > 0) ? clock.instant()
				.plusMillis((long) Math.ceil((ahead + Math.max(0, pending)) * 1000 / perSecond)) : null;
			return new QueuePosition(ahead, eta);
		}).timeout(timeout).onErrorResume(ex -> {
			logger.debug("No queue position for " + batch + ": " + ex);
			return Mono.empty();
		});
	}

	/** The first offset at or after {@code when} on each partition (the end offset where there is none yet). */
	private Mono<Map<TopicPartition, Long>> startsAt(Collection<TopicPartition> partitions, Instant when) {
		Map<TopicPartition, OffsetSpec> specs = partitions.stream()
			.collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.forTimestamp(when.toEpochMilli())));
		Map<TopicPartition, Long> ends = jobEnds;
		return Mono.fromCompletionStage(admin.listOffsets(specs, READ_COMMITTED).all().toCompletionStage())
			.map(found -> {
				Map<TopicPartition, Long> offsets = new HashMap<>();
				found.forEach((partition, info) -> offsets.put(partition,
						(info.offset() >= 0) ? info.offset() : ends.getOrDefault(partition, 0L)));
				return Map.copyOf(offsets);
			});
	}

	private void refreshQuietly() {
		try {
			refresh();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			logger.debug("Reading the job queue's offsets failed: " + ex);
		}
	}

	/** Reads the groups' committed offsets and the end offsets once. */
	void refresh() throws Exception {
		long now = clock.millis();
		for (String group : groups) {
			Map<TopicPartition, Long> offsets = group.equals(workerGroup) ? workerOffsets() : committed(group);
			if (group.equals(workerGroup)) {
				// partitions the workers never committed on count from their first offset
				Set<TopicPartition> jobs = jobPartitions();
				Map<TopicPartition, Long> earliest = offsets(jobs.stream()
					.filter(partition -> !offsets.containsKey(partition))
					.toList(), OffsetSpec.earliest());
				earliest.forEach(offsets::putIfAbsent);
				offsets.keySet().retainAll(jobs);
			}
			Map<TopicPartition, Long> ends = offsets(offsets.keySet(), OffsetSpec.latest());
			long lag = 0;
			for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
				lag += Math.max(0, end.getValue() - offsets.getOrDefault(end.getKey(), end.getValue()));
			}
			lags.put(group, lag);
			if (group.equals(workerGroup)) {
				workerCommitted = Map.copyOf(offsets);
				jobEnds = Map.copyOf(ends);
				recordRate(now, offsets.values().stream().mapToLong(Long::longValue).sum());
			}
		}
	}

	private Map<TopicPartition, Long> committed(String group) throws Exception {
		Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
			.partitionsToOffsetAndMetadata()
			.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		Map<TopicPartition, Long> offsets = new HashMap<>();
		committed.forEach((partition, offset) -> {
			if (offset != null) {
				offsets.put(partition, offset.offset());
			}
		});
		return offsets;
	}

	/**
	 * The workers' share group's start offsets: every job before one is done (jobs after it may
	 * be done too, out of order, so what lies beyond is a close upper bound of what waits). A
	 * group the broker does not know as a share group is read as a consumer group.
	 */
	private Map<TopicPartition, Long> workerOffsets() throws Exception {
		Map<TopicPartition, SharePartitionOffsetInfo> starts;
		try {
			starts = admin.listShareGroupOffsets(Map.of(workerGroup, new ListShareGroupOffsetsSpec()))
				.partitionsToOffsetInfo(workerGroup)
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			return committed(workerGroup);
		}
		Map<TopicPartition, Long> offsets = new HashMap<>();
		starts.forEach((partition, info) -> {
			if (info != null && info.startOffset() >= 0) {
				offsets.put(partition, info.startOffset());
			}
		});
		return offsets.isEmpty() ? committed(workerGroup) : offsets;
	}

	private synchronized void recordRate(long now, long committedSum) {
		committedHistory.addLast(new long[] { now, committedSum });
		while (committedHistory.size() > 2 && committedHistory.peekFirst()[0] < now - rateWindow.toMillis()) {
			committedHistory.removeFirst();
		}
		long[] first = committedHistory.peekFirst();
		long millis = now - first[0];
		rate = (millis > 0) ? Math.max(0, committedSum - first[1]) * 1000.0 / millis : Double.NaN;
	}

	private Set<TopicPartition> jobPartitions() throws Exception {
		return admin.describeTopics(List.of(Topics.JOBS.name()))
			.allTopicNames()
			.get(timeout.toMillis(), TimeUnit.MILLISECONDS)
			.values()
			.stream()
			.flatMap(topic -> topic.partitions()
				.stream()
				.map(partition -> new TopicPartition(topic.name(), partition.partition())))
			.collect(Collectors.toSet());
	}

	private Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec)
			throws Exception {
		if (partitions.isEmpty()) {
			return Map.of();
		}
		Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found = admin
			.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), p -> spec)), READ_COMMITTED)
			.all()
			.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		Map<TopicPartition, Long> offsets = new HashMap<>();
		found.forEach((partition, info) -> offsets.put(partition, info.offset()));
		return offsets;
	}

	@Override
	public void close() {
		timer.shutdownNow();
	}

}
