package dev.intake.api.webhooks;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.DisplayNames;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The body of {@code POST /v1/webhooks} and {@code PATCH /v1/webhooks/{id}}: on a PATCH (JSON or a
 * JSON merge patch alike), a field left out or null keeps its value. Read strictly, as the submit
 * routes read theirs: a field given twice, a field this API does not have (such as {@code secret},
 * which Intake always makes itself) and a value of the wrong type are refused with a 400 that
 * names the field, never guessed at.
 */
record WebhookRequest(@JsonProperty("url") String url, @JsonProperty("events") List<String> events,
		@JsonProperty("description") String description, @JsonProperty("enabled") Boolean enabled) {

	private static final List<String> FIELDS = List.of("url", "events", "description", "enabled");

	private static final int SHOWN = 64;

	private static final JsonMapper STRICT = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
		// a number or a boolean is no text: "description": 12 is refused, not stored as "12"
		.withCoercionConfig(LogicalType.Textual, textual -> textual.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
			.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
		.build();

	/** The request in {@code body} (JSON), null for an empty body; a 400 saying what is wrong otherwise. */
	static WebhookRequest parse(byte[] body) {
		if (body == null || body.length == 0) {
			return null;
		}
		JsonNode tree;
		try {
			tree = STRICT.readTree(body);
		}
		catch (JacksonException ex) {
			throw ApiProblem.badRequest(String.valueOf(ex.getOriginalMessage()).startsWith("Duplicate")
					? "The body gives a field twice." : "The body is not valid JSON.");
		}
		if (tree == null || !tree.isObject()) {
			throw ApiProblem.badRequest("The body must be a JSON object.");
		}
		try {
			return STRICT.treeToValue(tree, WebhookRequest.class);
		}
		catch (UnrecognizedPropertyException ex) {
			throw ApiProblem.badRequest("The body has an unknown field '" + shown(ex.getPropertyName())
					+ "'; the fields are " + String.join(", ", FIELDS) + ".");
		}
		catch (JacksonException ex) {
			String field = ex.getPath()
				.stream()
				.map(JacksonException.Reference::getPropertyName)
				.filter(FIELDS::contains)
				.findFirst()
				.orElse("?");
			throw ApiProblem.badRequest("The field '" + field + "' has a value of the wrong type (url and "
					+ "description are strings, events a list of strings, enabled true or false).");
		}
	}

	/**
	 * A name the client sent (a field, an event type) as a message shows it: its first
	 * {@value #SHOWN} characters, cleaned as {@link DisplayNames} cleans them.
	 */
	static String shown(String text) {
		String shown = String.valueOf(text);
		if (shown.codePointCount(0, shown.length()) > SHOWN) {
			shown = shown.substring(0, shown.offsetByCodePoints(0, SHOWN)) + "…";
		}
		return DisplayNames.clean(shown);
	}

}
