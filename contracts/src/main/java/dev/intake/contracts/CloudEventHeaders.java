package dev.intake.contracts;

/**
 * The CloudEvents 1.0 Kafka binary mode as Intake publishes to {@link Topics#EVENTS}: the
 * attributes travel as {@code ce_*} record headers, the data is the record value as JSON.
 */
public final class CloudEventHeaders {

	public static final String SPEC_VERSION = "ce_specversion";

	public static final String ID = "ce_id";

	public static final String SOURCE = "ce_source";

	public static final String TYPE = "ce_type";

	public static final String SUBJECT = "ce_subject";

	public static final String TIME = "ce_time";

	/** The data's media type (the {@code datacontenttype} attribute in binary mode). */
	public static final String CONTENT_TYPE = "content-type";

	/** The value of {@link #SPEC_VERSION}. */
	public static final String SPEC_VERSION_1_0 = "1.0";

	/** The value of {@link #CONTENT_TYPE}: every event's data is JSON. */
	public static final String JSON = "application/json";

	private CloudEventHeaders() {
	}

}
