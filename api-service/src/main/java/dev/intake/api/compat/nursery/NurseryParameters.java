package dev.intake.api.compat.nursery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.AssetIds;
import dev.intake.contracts.DisplayNames;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

import org.springframework.http.HttpStatus;

/**
 * The parameters of a nursery batch call: the {@code parameters} object of a JSON body (or, when
 * the body has none, its top level), or the query parameters of a GET. Numbers are non-negative
 * integers below 2^53, as JSON numbers or strings of digits; texts are non-blank strings. A
 * missing, mistyped or repeated parameter (a JSON key given twice, anywhere in the body) is a 400
 * in the API's shape naming it.
 */
final class NurseryParameters {

	static final String NURSERY_ID = "nursery_id";

	static final String BATCH_ID = "batch_id";

	static final String USER_ID = "user_id";

	static final String FILE_ID = "file_id";

	static final String IMAGE_TYPE = "image_type";

	static final String CREDENTIAL = "JWT_code";

	/** The parameters of this API, each a single value. */
	static final Set<String> NAMES = Set.of(NURSERY_ID, BATCH_ID, USER_ID, FILE_ID, IMAGE_TYPE, CREDENTIAL);

	/** Longest image type kept. */
	static final int MAX_TYPE_LENGTH = 64;

	private static final int MAX_ID_DIGITS = 16;

	private final Map<String, JsonNode> values;

	private NurseryParameters(Map<String, JsonNode> values) {
		this.values = values;
	}

	/** From a JSON body; a body that is no JSON object is a 400. */
	static NurseryParameters ofJson(JsonMapper json, byte[] body) {
		JsonNode root;
		try {
			root = (body.length == 0) ? null
					: json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION).readTree(body);
		}
		catch (StreamReadException ex) {
			JsonParser parser = ex.processor();
			if (parser != null && String.valueOf(ex.getOriginalMessage()).startsWith("Duplicate")) {
				throw repeated(parser.streamReadContext().currentName());
			}
			throw NurseryErrors.badRequest("The body is not valid JSON.");
		}
		catch (JacksonException ex) {
			throw NurseryErrors.badRequest("The body is not valid JSON.");
		}
		if (root == null || !root.isObject()) {
			throw NurseryErrors.badRequest("The body must be a JSON object with 'parameters'.");
		}
		JsonNode parameters = root.get("parameters");
		if (parameters == null) {
			parameters = root;
		}
		else if (!parameters.isObject()) {
			throw NurseryErrors.badRequest("parameters must be an object.");
		}
		Map<String, JsonNode> values = new LinkedHashMap<>();
		parameters.properties().forEach(entry -> values.put(entry.getKey(), entry.getValue()));
		return new NurseryParameters(values);
	}

	/** From query parameters; one of this API's given more than once is a 400. */
	static NurseryParameters ofQuery(Map<String, List<String>> query) {
		Map<String, JsonNode> values = new LinkedHashMap<>();
		query.forEach((name, given) -> {
			if (given.size() > 1 && NAMES.contains(name)) {
				throw repeated(name);
			}
			if (!given.isEmpty() && given.get(0) != null) {
				values.put(name, StringNode.valueOf(given.get(0)));
			}
		});
		return new NurseryParameters(values);
	}

	/**
	 * The credential sent, or null for none (then the header's counts): an empty one is none, as a
	 * form sends a field left blank; one that is no string is invalid.
	 */
	String credential() {
		JsonNode value = values.get(CREDENTIAL);
		if (value == null || value.isNull() || (value.isString() && value.stringValue().isBlank())) {
			return null;
		}
		if (!value.isString()) {
			throw NurseryErrors.error(HttpStatus.UNAUTHORIZED, NurseryErrors.UNAUTHORIZED);
		}
		return value.stringValue();
	}

	static ApiProblem repeated(String name) {
		return NurseryErrors.badRequest(name + " must be given at most once.");
	}

	/** A required id. */
	long id(String name) {
		long id = optionalId(name);
		if (id < 0) {
			throw NurseryErrors.badRequest(name + " is required.");
		}
		return id;
	}

	/** An optional id, -1 when absent. */
	long optionalId(String name) {
		JsonNode value = values.get(name);
		if (value == null || value.isNull()) {
			return -1;
		}
		if (value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0
				&& value.longValue() <= AssetIds.MAX) {
			return value.longValue();
		}
		if (value.isString()) {
			String text = value.stringValue().strip();
			if (!text.isEmpty() && text.length() <= MAX_ID_DIGITS && text.chars().allMatch(c -> c >= '0' && c <= '9')
					&& Long.parseLong(text) <= AssetIds.MAX) {
				return Long.parseLong(text);
			}
		}
		throw NurseryErrors.badRequest(name + " must be a non-negative integer.");
	}

	/** A required, non-blank text of at most {@code maxLength} characters, stripped. */
	String text(String name, int maxLength) {
		JsonNode value = values.get(name);
		if (value == null || value.isNull()) {
			throw NurseryErrors.badRequest(name + " is required.");
		}
		if (!value.isString()) {
			throw NurseryErrors.badRequest(name + " must be a string.");
		}
		String text = value.stringValue().strip();
		if (text.isEmpty()) {
			throw NurseryErrors.badRequest(name + " must not be empty.");
		}
		if (text.length() > maxLength || !DisplayNames.isClean(text)) {
			throw NurseryErrors.badRequest(name + " must be at most " + maxLength + " printable characters.");
		}
		return text;
	}

}
