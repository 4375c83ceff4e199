package dev.intake.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The CloudEvents 1.0 Kafka binary mode as Intake publishes to {@link Topics#EVENTS}: the
 * attributes travel as {@code ce_*} record headers, the data is the record value as JSON. Every
 * event carries {@code dataschema} and the {@code tenant} extension attribute; its {@code id} is
 * derived from what it reports, so a re-emission has the same id.
 */
public final class CloudEventHeaders {

	public static final String SPEC_VERSION = "ce_specversion";

	public static final String ID = "ce_id";

	public static final String SOURCE = "ce_source";

	public static final String TYPE = "ce_type";

	public static final String SUBJECT = "ce_subject";

	public static final String TIME = "ce_time";

	/** The URI of the data's JSON Schema ({@link EventType#dataschema()}). */
	public static final String DATA_SCHEMA = "ce_dataschema";

	/** Extension attribute: the tenant the event belongs to. */
	public static final String TENANT = "ce_tenant";

	/** The data's media type (the {@code datacontenttype} attribute in binary mode). */
	public static final String CONTENT_TYPE = "content-type";

	/** The value of {@link #SPEC_VERSION}. */
	public static final String SPEC_VERSION_1_0 = "1.0";

	/** The value of {@link #CONTENT_TYPE}: every event's data is JSON. */
	public static final String JSON = "application/json";

	private CloudEventHeaders() {
	}

	/**
	 * The headers of one event.
	 * @param id unique per logical event and stable across re-emissions
	 * @param time when what the event reports happened; omitted when null
	 */
	public static Headers of(EventType type, String id, String subject, Instant time, String tenant) {
		Headers headers = new RecordHeaders();
		add(headers, SPEC_VERSION, SPEC_VERSION_1_0);
		add(headers, ID, id);
		add(headers, SOURCE, EventType.SOURCE);
		add(headers, TYPE, type.type());
		add(headers, SUBJECT, subject);
		if (time != null) {
			add(headers, TIME, time.toString());
		}
		add(headers, DATA_SCHEMA, type.dataschema());
		add(headers, TENANT, tenant);
		add(headers, CONTENT_TYPE, JSON);
		return headers;
	}

	private static void add(Headers headers, String name, String value) {
		headers.add(name, value.getBytes(StandardCharsets.UTF_8));
	}

}
