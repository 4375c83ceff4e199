package dev.intake.contracts;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The tenant-qualified identity of a batch, and the Kafka key of {@link Topics#BATCHES} and
 * {@link Topics#RESULTS}. Its string form is {@code tenant/batchId}; neither part may contain a
 * slash, so the form is unambiguous.
 */
public record BatchKey(String tenant, String batchId) {

	/**
	 * Client-chosen batch ids: letters, digits, dot, underscore, hyphen; 1 to 64 characters; not
	 * {@code .} or {@code ..}, which are path segments of their own in the batch's URLs.
	 */
	public static final Pattern BATCH_ID = Pattern.compile("(?!\\.\\.?$)[A-Za-z0-9._-]{1,64}");

	/** Tenant ids come from credentials, never from clients: same alphabet, 1 to 64 characters. */
	public static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	public BatchKey {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(batchId, "batchId");
		if (!TENANT.matcher(tenant).matches()) {
			throw new IllegalArgumentException("invalid tenant id");
		}
		if (!BATCH_ID.matcher(batchId).matches()) {
			throw new IllegalArgumentException("invalid batch id");
		}
	}

	public static boolean isValidBatchId(String batchId) {
		return batchId != null && BATCH_ID.matcher(batchId).matches();
	}

	public static BatchKey parse(String value) {
		int slash = value.indexOf('/');
		if (slash < 0) {
			throw new IllegalArgumentException("not a batch key: " + value);
		}
		return new BatchKey(value.substring(0, slash), value.substring(slash + 1));
	}

	@Override
	public String toString() {
		return tenant + "/" + batchId;
	}

}
