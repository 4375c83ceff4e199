package dev.intake.status.catalogue;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Mono;

/**
 * Waits until the Streams application has processed everything written to some partitions
 * before the wait began: their end offsets (high watermark, as the batch look-up's catch-up, so
 * an acknowledged transactional write is covered even before its commit markers land) are read
 * once, then the group's committed offsets are polled until they reach them. Streams writes its
 * stores and its output before it commits the input offsets, so once they are reached, a store
 * read and the output topics reflect every record below them.
 * <p>
 * A probe (a store read) is checked at each poll, after the offsets, and ends the wait early
 * when it already finds what the caller is waiting for. Non-blocking: asynchronous admin
 * requests on one shared {@link Admin}. Shared by every read-your-writes look-up of a store
 * fed by this Streams application (the asset catalogue, the nursery links).
 */
public final class CatalogueCatchUp {

	private final Admin admin;

	private final String groupId;

	private final Duration pollInterval;

	private final int requestTimeoutMs;

	public CatalogueCatchUp(Admin admin, String groupId, Duration requestTimeout, Duration pollInterval) {
		this.admin = admin;
		this.groupId = groupId;
		this.pollInterval = pollInterval;
		this.requestTimeoutMs = (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis());
	}

	/**
	 * True as soon as {@code probe} is; false once every partition is processed up to its end as
	 * of this call (then the probe's answer is final); {@link CatalogueUnavailableException} past
	 * {@code deadline} ({@link System#nanoTime()}).
	 */
	public Mono<Boolean> await(Collection<TopicPartition> partitions, Mono<Boolean> probe, long deadline) {
		if (partitions.isEmpty()) {
			return Mono.just(false);
		}
		return endOffsets(partitions).flatMap(end -> poll(partitions, end, probe, deadline));
	}

	private Mono<Boolean> poll(Collection<TopicPartition> partitions, Map<TopicPartition, Long> end,
			Mono<Boolean> probe, long deadline) {
		// offsets before the probe: caught-up offsets guarantee the probe's read sees the records
		return committedOffsets(partitions).flatMap(committed -> probe.flatMap(found -> {
			if (found) {
				return Mono.just(true);
			}
			List<TopicPartition> behind = partitions.stream()
				.filter(tp -> committed.getOrDefault(tp, 0L) < end.get(tp))
				.toList();
			if (behind.isEmpty()) {
				return Mono.just(false);
			}
			if (System.nanoTime() - deadline >= 0) {
				TopicPartition first = behind.get(0);
				return Mono.error(new CatalogueUnavailableException("the catalogue is behind on " + first
						+ " (processed " + committed.getOrDefault(first, 0L) + ", written " + end.get(first) + ")"));
			}
			return Mono.delay(pollInterval).then(Mono.defer(() -> poll(partitions, end, probe, deadline)));
		}));
	}

	/** Every partition of {@code topics}, as the broker has them now. */
	public Mono<List<TopicPartition>> partitionsOf(Collection<String> topics) {
		var options = new DescribeTopicsOptions().timeoutMs(requestTimeoutMs);
		return mono(admin.describeTopics(topics, options).allTopicNames()).map(described -> described.values()
			.stream()
			.flatMap(topic -> topic.partitions()
				.stream()
				.map(partition -> new TopicPartition(topic.name(), partition.partition())))
			.toList());
	}

	private Mono<Map<TopicPartition, Long>> endOffsets(Collection<TopicPartition> partitions) {
		Map<TopicPartition, OffsetSpec> latest = partitions.stream()
			.collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
		var options = new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED).timeoutMs(requestTimeoutMs);
		return mono(admin.listOffsets(latest, options).all()).map(infos -> infos.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset())));
	}

	private Mono<Map<TopicPartition, Long>> committedOffsets(Collection<TopicPartition> partitions) {
		var spec = new ListConsumerGroupOffsetsSpec().topicPartitions(List.copyOf(partitions));
		var options = new ListConsumerGroupOffsetsOptions().timeoutMs(requestTimeoutMs);
		var result = admin.listConsumerGroupOffsets(Map.of(groupId, spec), options);
		return mono(result.partitionsToOffsetAndMetadata(groupId)).map(offsets -> offsets.entrySet()
			.stream()
			.filter(entry -> entry.getValue() != null)
			.collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset())));
	}

	private static <T> Mono<T> mono(KafkaFuture<T> future) {
		return Mono.fromCompletionStage(future.toCompletionStage())
			.onErrorMap(ex -> new CatalogueUnavailableException("offset look-up failed: " + ex.getMessage(), ex));
	}

}
