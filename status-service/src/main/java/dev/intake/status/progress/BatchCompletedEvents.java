package dev.intake.status.progress;

import java.nio.charset.StandardCharsets;

import dev.intake.contracts.BatchCompleted;
import dev.intake.contracts.CloudEventHeaders;
import dev.intake.contracts.JsonSerde;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Announces each batch's completion once per retry round: a {@link BatchCompleted} CloudEvent in
 * Kafka binary mode, the record as JSON data, the attributes as {@code ce_*} headers. The id is
 * derived from the batch (and the retry round, when a retry round completed it), so a
 * subscriber can drop a replay by id. The input record's own headers are not passed on: only
 * the event's attributes are part of the public contract.
 * <p>
 * Sees every change of the progress store (merged by its cache, so not every update) and keeps
 * in the {@link BatchProgressTopology#COMPLETIONS} store the last round it announced per batch:
 * a complete batch is announced when its round was not, so a duplicate after completion, a
 * repeated submission or a merged update never announces it twice, and a retry round that
 * completes announces it again. A batch deleted by retention is forgotten here too.
 */
final class BatchCompletedEvents extends ContextualFixedKeyProcessor<String, BatchProgress, BatchCompleted> {

	static final Serde<BatchCompleted> SERDE = new JsonSerde<>(BatchCompleted.class);

	private KeyValueStore<String, Integer> announced;

	@Override
	public void init(FixedKeyProcessorContext<String, BatchCompleted> context) {
		super.init(context);
		this.announced = context.getStateStore(BatchProgressTopology.COMPLETIONS);
	}

	@Override
	public void process(FixedKeyRecord<String, BatchProgress> record) {
		BatchProgress batch = record.value();
		if (batch == null) {
			announced.delete(record.key());
			return;
		}
		if (!batch.complete()) {
			return;
		}
		Integer round = announced.get(record.key());
		if (round != null && round >= batch.retryRound()) {
			return;
		}
		announced.put(record.key(), batch.retryRound());
		BatchCompleted event = new BatchCompleted(batch.tenant(), batch.batchId(), batch.totalCount(),
				batch.successCount(), batch.failedCount(), batch.submittedAt(), batch.completedAt());
		context().forward(record.withValue(event).withHeaders(headersOf(event, batch.retryRound())));
	}

	static String idOf(String tenant, String batchId) {
		return tenant + "/" + batchId + "/completed";
	}

	/** The id of the completion of a retry round: the batch's own for round 0, one per round after. */
	static String idOf(String tenant, String batchId, int retryRound) {
		return (retryRound == 0) ? idOf(tenant, batchId) : idOf(tenant, batchId) + "/retry-" + retryRound;
	}

	private static Headers headersOf(BatchCompleted event, int retryRound) {
		Headers headers = new RecordHeaders();
		add(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
		add(headers, CloudEventHeaders.ID, idOf(event.tenant(), event.batchId(), retryRound));
		add(headers, CloudEventHeaders.SOURCE, BatchCompleted.SOURCE);
		add(headers, CloudEventHeaders.TYPE, BatchCompleted.TYPE);
		add(headers, CloudEventHeaders.SUBJECT, event.batchId());
		if (event.completedAt() != null) {
			add(headers, CloudEventHeaders.TIME, event.completedAt().toString());
		}
		add(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
		return headers;
	}

	private static void add(Headers headers, String name, String value) {
		headers.add(name, value.getBytes(StandardCharsets.UTF_8));
	}

}
