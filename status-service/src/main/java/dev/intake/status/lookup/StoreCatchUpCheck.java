package dev.intake.status.lookup;

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
 * acknowledged has its {@code BatchSubmitted} below the partition's end offset (high
 * watermark); once the Streams application's committed offset reaches that offset, the store
 * holds it (Streams writes the store before it commits), so a miss is genuine.
 * <p>
 * Not the last stable offset: a transaction's commit returns to the producer once the
 * coordinator has logged it, and the commit markers reach the partitions a moment later, so
 * right after an acknowledged submit the last stable offset can still be below its record.
 * The end offset already covers it; the price is that an open transaction of another
 * producer delays a genuine miss until it ends (the look-up then answers 503, never a wrong
 * 404).
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

	/** The offset past every record of the partition written so far, committed or not. */
	Mono<Long> endOffset(int partition) {
		TopicPartition tp = batchesPartition(partition);
		var options = new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED).timeoutMs(timeoutMs());
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
