package dev.intake.status.progress;

import java.util.function.UnaryOperator;

/** The public URL of a stored object key, as events and status answers give it to clients. */
@FunctionalInterface
public interface ObjectUrls extends UnaryOperator<String> {

	String urlOf(String objectKey);

	@Override
	default String apply(String objectKey) {
		return urlOf(objectKey);
	}

}
