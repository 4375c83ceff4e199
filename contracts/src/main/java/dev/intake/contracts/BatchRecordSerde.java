package dev.intake.contracts;

import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads and writes every value of {@link Topics#BATCHES}: a JSON object with a
 * {@code retryRound} field is a {@link BatchRetried}, any other a {@link BatchSubmitted}. Writes
 * each as plain JSON, so a {@code BatchSubmitted} has exactly the bytes it always had.
 */
public final class BatchRecordSerde implements Serde<BatchRecord>, Serializer<BatchRecord>, Deserializer<BatchRecord> {

	/** The field only a {@link BatchRetried} has. */
	static final String RETRY_FIELD = "retryRound";

	@Override
	public byte[] serialize(String topic, BatchRecord data) {
		if (data == null) {
			return null;
		}
		try {
			return JsonSerde.MAPPER.writeValueAsBytes(data);
		}
		catch (JacksonException ex) {
			throw new SerializationException("cannot write " + data.getClass().getSimpleName(), ex);
		}
	}

	@Override
	public BatchRecord deserialize(String topic, byte[] data) {
		if (data == null) {
			return null;
		}
		try {
			JsonNode tree = JsonSerde.MAPPER.readTree(data);
			if (tree == null || !tree.isObject()) {
				throw new SerializationException("a batch record from " + topic + " must be a JSON object");
			}
			Class<? extends BatchRecord> type = tree.has(RETRY_FIELD) ? BatchRetried.class : BatchSubmitted.class;
			return JsonSerde.MAPPER.treeToValue(tree, type);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw new SerializationException("cannot read a batch record from " + topic, ex);
		}
	}

	@Override
	public Serializer<BatchRecord> serializer() {
		return this;
	}

	@Override
	public Deserializer<BatchRecord> deserializer() {
		return this;
	}

	@Override
	public void configure(Map<String, ?> configs, boolean isKey) {
	}

	@Override
	public void close() {
	}

}
