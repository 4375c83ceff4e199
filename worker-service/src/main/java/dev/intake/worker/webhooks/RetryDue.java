package dev.intake.worker.webhooks;

import java.math.BigInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.SingleRecordHeader;
import org.springframework.kafka.retrytopic.RetryTopicHeaders;

/**
 * The due time of a failed delivery on its next retry topic, per record: Spring Kafka would make
 * it the failure time plus the topic's wait, the same for every record of the topic; this header
 * replaces it with the due time of the {@link DeliveryFailed} (the wait with this record's own
 * jitter). The retry topic's consumer pauses the partition until the first record is due, so a
 * record may also wait for the jitter of the one before it in its partition.
 */
final class RetryDue {

	private RetryDue() {
	}

	/** Headers for the record sent on after {@code failure}: none unless it is a {@link DeliveryFailed}. */
	static Headers headers(ConsumerRecord<?, ?> record, Exception failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DeliveryFailed failed && failed.due() != null) {
				return new RecordHeaders().add(new SingleRecordHeader(RetryTopicHeaders.DEFAULT_HEADER_BACKOFF_TIMESTAMP,
						BigInteger.valueOf(failed.due().toEpochMilli()).toByteArray()));
			}
		}
		return new RecordHeaders();
	}

}
