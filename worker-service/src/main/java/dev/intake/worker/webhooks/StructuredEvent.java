package dev.intake.worker.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.intake.contracts.CloudEventHeaders;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns an event of {@code intake.events} (CloudEvents Kafka binary mode: {@code ce_*} headers,
 * JSON data) into the CloudEvents structured JSON mode a webhook delivers: one JSON object with
 * the attributes and the data under {@code data}. Pure.
 */
final class StructuredEvent {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Map<String, String> ATTRIBUTES = Map.of(CloudEventHeaders.SPEC_VERSION, "specversion",
			CloudEventHeaders.ID, "id", CloudEventHeaders.SOURCE, "source", CloudEventHeaders.TYPE, "type",
			CloudEventHeaders.SUBJECT, "subject", CloudEventHeaders.TIME, "time", CloudEventHeaders.DATA_SCHEMA,
			"dataschema", CloudEventHeaders.TENANT, "tenant", CloudEventHeaders.CONTENT_TYPE, "datacontenttype");

	private static final String[] ORDER = { "specversion", "id", "source", "type", "subject", "time",
			"datacontenttype", "dataschema", "tenant" };

	/** The attributes of the event. */
	record Event(String id, String type, String tenant, String subject, String json) {
	}

	private StructuredEvent() {
	}

	/**
	 * The event in structured mode, or null when the record is not a CloudEvent of Intake's
	 * (no id, type or tenant).
	 */
	static Event of(Headers headers, byte[] value) {
		ObjectNode attributes = JSON.createObjectNode();
		for (Header header : headers) {
			String name = ATTRIBUTES.get(header.key());
			if (name != null && header.value() != null) {
				attributes.put(name, new String(header.value(), StandardCharsets.UTF_8));
			}
		}
		if (!attributes.hasNonNull("id") || !attributes.hasNonNull("type") || !attributes.hasNonNull("tenant")) {
			return null;
		}
		ObjectNode event = JSON.createObjectNode();
		for (String name : ORDER) {
			if (attributes.hasNonNull(name)) {
				event.set(name, attributes.get(name));
			}
		}
		JsonNode data = (value != null) ? JSON.readTree(value) : null;
		if (data != null) {
			event.set("data", data);
		}
		String subject = attributes.hasNonNull("subject") ? attributes.get("subject").asString() : null;
		return new Event(attributes.get("id").asString(), attributes.get("type").asString(),
				attributes.get("tenant").asString(), subject, JSON.writeValueAsString(event));
	}

}
