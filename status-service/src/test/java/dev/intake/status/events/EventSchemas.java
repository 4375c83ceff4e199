package dev.intake.status.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.intake.contracts.EventType;
import io.cloudevents.CloudEvent;

/** Validates a CloudEvent's data against the JSON Schema its type names, read from the contracts. */
public final class EventSchemas {

	private final Map<EventType, Schema> schemas = new EnumMap<>(EventType.class);

	public EventSchemas() {
		SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
		for (EventType type : EventType.values()) {
			try (InputStream in = EventType.class.getResourceAsStream(type.schemaResource())) {
				if (in == null) {
					throw new IllegalStateException("no schema " + type.schemaResource());
				}
				schemas.put(type, registry.getSchema(in));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	/** The type of {@code event}, by its {@code type} attribute. */
	public static EventType typeOf(CloudEvent event) {
		for (EventType type : EventType.values()) {
			if (type.type().equals(event.getType())) {
				return type;
			}
		}
		throw new IllegalArgumentException("unknown type " + event.getType());
	}

	/** The schema violations of the event's data; empty when it is valid. */
	public List<String> violations(CloudEvent event) {
		String data = new String(event.getData().toBytes(), StandardCharsets.UTF_8);
		return schemas.get(typeOf(event)).validate(data, InputFormat.JSON).stream().map(Error::toString).toList();
	}

}
