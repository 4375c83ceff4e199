package dev.intake.api.assets;

import java.util.Map;

import reactor.core.publisher.Mono;

/**
 * How a single-file API decides the tenant of a form from its text fields, for an API that sends
 * its credential as a form field. Asked when the file begins, with the fields sent before it, and,
 * when that gave no answer, again at the form's end with all of them.
 */
@FunctionalInterface
public interface FormTenant {

	/**
	 * The tenant the fields name, or an error in the API's own shape when they name none.
	 * @param fields the text fields read so far (first value of each)
	 * @param complete whether the whole form has been read; before that, completing empty says
	 * "not from these fields yet": the file is then held apart, belonging to no tenant, until
	 * the form's end decides
	 */
	Mono<String> decide(Map<String, String> fields, boolean complete);

	/** Every form belongs to {@code tenant} (the credential came in a header). */
	static FormTenant of(String tenant) {
		return (fields, complete) -> Mono.just(tenant);
	}

}
