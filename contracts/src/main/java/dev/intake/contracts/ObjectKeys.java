package dev.intake.contracts;

/**
 * The S3 key layout. Keys are built from the tenant and from content or server-made ids, never
 * from client-supplied names.
 *
 * <pre>
 * staging/{tenant}/{uploadId}/{index}      claim-checked uploads, deleted when their item ends
 * images/{tenant}/{sha256}.{ext}           originals: identical bytes of one tenant are stored once
 * images/{tenant}/{sha256}/{name}.{ext}    renditions of that original (thumb, preview, ...)
 * files/{tenant}/{sha256}.{ext}            documents (non-image attachments), stored as they came
 * batches/{tenant}/{batchId}.json          the claim on a batch id: who created it, with which Idempotency-Key
 * </pre>
 */
public final class ObjectKeys {

	public static final String STAGING_PREFIX = "staging/";

	public static final String IMAGES_PREFIX = "images/";

	public static final String BATCHES_PREFIX = "batches/";

	public static final String FILES_PREFIX = "files/";

	private ObjectKeys() {
	}

	public static String staged(String tenant, String uploadId, int index) {
		return STAGING_PREFIX + tenant + "/" + uploadId + "/" + index;
	}

	public static String original(String tenant, String sha256, ImageFormat format) {
		return IMAGES_PREFIX + tenant + "/" + sha256 + "." + format.extension();
	}

	public static String rendition(String tenant, String sha256, String name, String extension) {
		return IMAGES_PREFIX + tenant + "/" + sha256 + "/" + name + "." + extension;
	}

	public static String document(String tenant, String sha256, DocumentFormat format) {
		return FILES_PREFIX + tenant + "/" + sha256 + "." + format.extension();
	}

	/** The claim on a batch id, written once (conditionally) when the batch is accepted. */
	public static String batchClaim(String tenant, String batchId) {
		return BATCHES_PREFIX + tenant + "/" + batchId + ".json";
	}

	/** Whether a key is a stored document, served publicly as a download. */
	public static boolean isPublicDocument(String key) {
		return key.startsWith(FILES_PREFIX) && !key.contains("..") && !key.contains("//");
	}

	/** Whether a key is one that may be served publicly as an image URL. */
	public static boolean isPublicImage(String key) {
		return key.startsWith(IMAGES_PREFIX) && !key.contains("..") && !key.contains("//");
	}

}
