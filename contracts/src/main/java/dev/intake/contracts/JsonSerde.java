package dev.intake.contracts;

import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON serde for the records in this package. Tolerant reader: unknown fields are ignored, so a
 * producer may add optional fields without breaking older consumers. No Java type names go on
 * the wire; the topic decides the type.
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

	static final JsonMapper MAPPER = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private final Class<T> type;

	public JsonSerde(Class<T> type) {
		this.type = type;
	}

	@Override
	public byte[] serialize(String topic, T data) {
		if (data == null) {
			return null;
		}
		try {
			return MAPPER.writeValueAsBytes(data);
		}
		catch (JacksonException ex) {
			throw new SerializationException("cannot write " + type.getSimpleName(), ex);
		}
	}

	@Override
	public T deserialize(String topic, byte[] data) {
		if (data == null) {
			return null;
		}
		try {
			return MAPPER.readValue(data, type);
		}
		catch (JacksonException ex) {
			throw new SerializationException("cannot read " + type.getSimpleName() + " from " + topic, ex);
		}
	}

	@Override
	public Serializer<T> serializer() {
		return this;
	}

	@Override
	public Deserializer<T> deserializer() {
		return this;
	}

	@Override
	public void configure(Map<String, ?> configs, boolean isKey) {
	}

	@Override
	public void close() {
	}

}
