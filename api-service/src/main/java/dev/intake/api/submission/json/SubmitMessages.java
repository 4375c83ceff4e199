package dev.intake.api.submission.json;

import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.DisplayNames;
import dev.intake.contracts.Wording;

/**
 * The 400 answers of the JSON submit ({@code POST /v1/batch-upload/submit}), in the bach.art API's style;
 * the answers it shares with submit-with-files are in {@link UploadMessages}.
 */
public final class SubmitMessages {

	private SubmitMessages() {
	}

	public static ApiProblem notJson() {
		return ApiProblem.badRequest("The request must be application/json (in UTF-8).");
	}

	static ApiProblem emptyBody() {
		return ApiProblem.badRequest("The request body is empty; it must be a JSON object with an 'items' array.");
	}

	static ApiProblem malformedJson(String detail) {
		return ApiProblem.badRequest("The request body is not valid JSON: " + detail + ".");
	}

	static ApiProblem bodyNotObject() {
		return ApiProblem.badRequest("The request body must be a JSON object with an 'items' array.");
	}

	static ApiProblem bodyTooLarge(long limit) {
		return ApiProblem.badRequest("The request body exceeds the maximum size of " + Wording.limitMegabytes(limit)
				+ ".");
	}

	static ApiProblem stringTooLong(int limit) {
		return ApiProblem.badRequest("A JSON string other than 'data' exceeds " + limit / 1024 + "KB.");
	}

	static ApiProblem repeatedField(String field) {
		return ApiProblem.badRequest("The '" + field + "' field must be given at most once.");
	}

	static ApiProblem itemsNotArray() {
		return ApiProblem.badRequest("The 'items' field must be an array of objects.");
	}

	static ApiProblem callbackUrlNotString() {
		return ApiProblem.badRequest("The 'callback_url' field must be a string.");
	}

	static ApiProblem batchIdNotString() {
		return ApiProblem.badRequest("The 'batch_id' field must be a string.");
	}

	static ApiProblem emptyItemList() {
		return ApiProblem.badRequest("The upload item list cannot be empty.");
	}

	static ApiProblem itemNotObject(int position) {
		return ApiProblem.badRequest("The " + Wording.ordinal(position) + " item must be a JSON object.");
	}

	static ApiProblem itemFieldNotString(int position, String field) {
		return ApiProblem.badRequest("The " + Wording.ordinal(position) + " item's '" + field + "' must be a string.");
	}

	static ApiProblem repeatedItemField(int position, String field) {
		return ApiProblem.badRequest("The " + Wording.ordinal(position) + " item has more than one '" + field + "'.");
	}

	static ApiProblem missingType(int position) {
		return ApiProblem.badRequest("The " + Wording.ordinal(position) + " item has no 'type'; use 'url' or 'base64'.");
	}

	static ApiProblem unknownType(int position, String type) {
		return ApiProblem.badRequest("The " + Wording.ordinal(position) + " item type '" + DisplayNames.clean(type)
				+ "' is not supported; use 'url' or 'base64'.");
	}

	static ApiProblem missingField(int position, String type, String field) {
		return ApiProblem.badRequest("The " + Wording.ordinal(position) + " item of type '" + type + "' has no '"
				+ field + "'.");
	}

	static ApiProblem unexpectedField(int position, String type, String field) {
		return ApiProblem.badRequest("The " + Wording.ordinal(position) + " item of type '" + type
				+ "' must not have '" + field + "'.");
	}

	static ApiProblem invalidUrl(int position) {
		return ApiProblem.badRequest("The " + Wording.ordinal(position) + " item's url is not an absolute http or "
				+ "https URL.");
	}

	static ApiProblem urlTooLong(int position, int limit) {
		return ApiProblem.badRequest("The " + Wording.ordinal(position) + " item's url is longer than " + limit
				+ " characters.");
	}

	static ApiProblem invalidBase64(int position, String name) {
		return ApiProblem.badRequest("The " + Wording.ordinal(position) + " image '" + DisplayNames.clean(name)
				+ "' data is not valid Base64.");
	}

}
