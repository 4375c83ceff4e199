package dev.intake.status.query;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.intake.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Mono;

/**
 * Tells whether the status store has processed every committed submission of one partition of
 * {@code intake.batches}: the basis of read-your-writes. A client that got its submit
 * acknowledged has its {@code BatchSubmitted} below the partition's last stable offset; once
 * the Streams application's committed offset reaches that offset, the store holds it (Streams
 * writes the store before it commits), so a miss is genuine.
 * <p>
 * Non-blocking: both look-ups are asynchronous admin requests on one shared {@link Admin}.
 */
class StoreCatchUpCheck {

	private final Admin admin;

	private final String groupId;

	private final Duration requestTimeout;

	StoreCatchUpCheck(Admin admin, String groupId, Duration requestTimeout) {
		this.admin = admin;
		this.groupId = groupId;
		this.requestTimeout = requestTimeout;
	}

	/** The offset below which every record of the partition is committed or aborted. */
	Mono<Long> lastStableOffset(int partition) {
		TopicPartition tp = batchesPartition(partition);
		var options = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs(timeoutMs());
		var result = admin.listOffsets(Map.of(tp, OffsetSpec.latest()), options).partitionResult(tp);
		return mono(result).map(info -> info.offset());
	}

	/** The next offset of the partition the status store will process; 0 when it never committed. */
	Mono<Long> processedOffset(int partition) {
		TopicPartition tp = batchesPartition(partition);
		var spec = new ListConsumerGroupOffsetsSpec().topicPartitions(List.of(tp));
		var options = new ListConsumerGroupOffsetsOptions().timeoutMs(timeoutMs());
		var result = admin.listConsumerGroupOffsets(Map.of(groupId, spec), options);
		return mono(result.partitionsToOffsetAndMetadata(groupId)).map(offsets -> {
			OffsetAndMetadata committed = offsets.get(tp);
			return (committed != null) ? committed.offset() : 0L;
		});
	}

	private int timeoutMs() {
		return (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis());
	}

	private static TopicPartition batchesPartition(int partition) {
		return new TopicPartition(Topics.BATCHES.name(), partition);
	}

	private static <T> Mono<T> mono(KafkaFuture<T> future) {
		return Mono.fromCompletionStage(future.toCompletionStage())
			.onErrorMap(ex -> !(ex instanceof StatusUnavailableException),
					ex -> new StatusUnavailableException("offset look-up failed: " + ex.getMessage(), ex));
	}

}
