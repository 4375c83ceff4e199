package dev.intake.worker.webhooks;

import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.SingleRecordHeader;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.retrytopic.RetryTopicHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/** The due time a failed delivery takes to its retry topic. */
class RetryDueTest {

	private static final ConsumerRecord<String, String> RECORD = new ConsumerRecord<>("intake.webhook-deliveries", 0, 7,
			"key", "value");

	@Test
	void aFailedDeliveryIsDueWhenItsFailureSays() {
		Instant due = Instant.parse("2026-12-06T12:00:10.123Z");
		Exception failure = new ListenerExecutionFailedException("listener failed", new DeliveryFailed("500", due));
		Headers headers = RetryDue.headers(RECORD, failure);
		// it replaces the topic-wide due time Spring Kafka adds, rather than adding a second one
		assertThat(headers.lastHeader(RetryTopicHeaders.DEFAULT_HEADER_BACKOFF_TIMESTAMP))
			.isInstanceOf(SingleRecordHeader.class);
		assertThat(dueOf(headers)).isEqualTo(due);
	}

	@Test
	void anyOtherFailureKeepsSpringKafkasDueTime() {
		assertThat(RetryDue.headers(RECORD, new IllegalStateException("unexpected")).toArray()).isEmpty();
		assertThat(dueOf(new RecordHeaders())).isNull();
	}

	private static Instant dueOf(Headers headers) {
		var header = headers.lastHeader(RetryTopicHeaders.DEFAULT_HEADER_BACKOFF_TIMESTAMP);
		return (header == null) ? null : Instant.ofEpochMilli(new java.math.BigInteger(header.value()).longValue());
	}

}
