package dev.intake.contracts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The S3 key layout. Keys are built from the tenant and from content or server-made ids, never
 * from client-supplied names.
 *
 * <pre>
 * uploads/{yyyyMMddHH}/{tenant}/{uploadId}/{index}   every upload, written once by the api-service (the hour
 *                                          it was written first); never served directly: the content
 *                                          index names the one object of each verified content
 * staging/{tenant}/{uploadId}/{index}      claim checks of jobs queued before uploads went to uploads/,
 *                                          and uploads whose credential comes after their file
 * images/{tenant}/{sha256}.{ext}           originals: identical bytes of one tenant are stored once
 * images/{tenant}/{sha256}/{name}.{ext}    renditions of that original (thumb, preview, ...)
 * files/{tenant}/{sha256}.{ext}            documents (non-image attachments), stored as they came
 * batches/{tenant}/{batchId}.json          the claim on a batch id: who created it, with which Idempotency-Key
 * vault/{tenant}/{acl}/{handle}[.{ext}]    one version of a file-service file (acl: private or public),
 *                                          never served by the public image origin
 * vault-index/{tenant}/{ns}/{name}/{v}.json   the record of version v of a file-service file, written once
 *                                          (conditionally); {ns} and {name} are SHA-256 hashes, {v} ten digits
 * vault-index/{tenant}/{ns}/{name}/{v}.deleted  the mark of a deleted version
 * vault-renditions/{tenant}/{acl}/{handle}/{name}.{ext}  renditions of an image version, private like
 *                                          the version (never served by the public image origin)
 * vault-images/{tenant}/{handle}.json      what the worker found in an image version's bytes: its
 *                                          item result (measured and rendered, or the failure)
 * </pre>
 */
public final class ObjectKeys {

	public static final String STAGING_PREFIX = "staging/";

	/** Where the api-service writes every upload, once; never served directly. */
	public static final String UPLOADS_PREFIX = "uploads/";

	private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);

	private static final Pattern UPLOAD = Pattern.compile("uploads/[0-9]{10}/([^/]+)/[^/]+/[0-9]+");

	public static final String IMAGES_PREFIX = "images/";

	public static final String BATCHES_PREFIX = "batches/";

	public static final String FILES_PREFIX = "files/";

	public static final String VAULT_PREFIX = "vault/";

	public static final String VAULT_INDEX_PREFIX = "vault-index/";

	public static final String VAULT_RENDITIONS_PREFIX = "vault-renditions/";

	public static final String VAULT_IMAGES_PREFIX = "vault-images/";

	private ObjectKeys() {
	}

	/**
	 * The object of one file-service version: {@code acl} is {@code private} or {@code public},
	 * {@code handle} a server-made UUID, {@code extension} that of the recognised type (may be empty).
	 */
	public static String vaultFile(String tenant, String acl, String handle, String extension) {
		return VAULT_PREFIX + tenant + "/" + acl + "/" + handle + (extension.isEmpty() ? "" : "." + extension);
	}

	/** The folder of the renditions of the file-service version {@code handle}. */
	public static String vaultRenditions(String tenant, String acl, String handle) {
		return VAULT_RENDITIONS_PREFIX + tenant + "/" + acl + "/" + handle + "/";
	}

	/** A rendition of the file-service version {@code handle} (an image), as private as the version. */
	public static String vaultRendition(String tenant, String acl, String handle, String name, String extension) {
		return vaultRenditions(tenant, acl, handle) + name + "." + extension;
	}

	/** The outcome of checking and measuring the file-service version {@code handle} (an image). */
	public static String vaultImage(String tenant, String handle) {
		return VAULT_IMAGES_PREFIX + tenant + "/" + handle + ".json";
	}

	/** The folder of a file-service namespace's version records ({@code namespaceHash} a SHA-256 in hex). */
	public static String vaultNamespace(String tenant, String namespaceHash) {
		return VAULT_INDEX_PREFIX + tenant + "/" + namespaceHash + "/";
	}

	/**
	 * Where the api-service writes an upload, once: content-independent, under the hour it was
	 * written ({@code at}, UTC), so that a sweep walks old hours without listing newer ones.
	 */
	public static String upload(Instant at, String tenant, String uploadId, int index) {
		return uploadHour(at) + tenant + "/" + uploadId + "/" + index;
	}

	/** The folder of the uploads written in the hour of {@code at} (UTC). */
	public static String uploadHour(Instant at) {
		return UPLOADS_PREFIX + HOUR.format(at) + "/";
	}

	/** The tenant an {@link #upload} key belongs to, or null when the key is not one. */
	public static String uploadTenant(String key) {
		Matcher matcher = (key == null) ? null : UPLOAD.matcher(key);
		return (matcher != null && matcher.matches()) ? matcher.group(1) : null;
	}

	/** The key of a tenant's content in the content index: {@code tenant/sha256}. */
	public static String contentKey(String tenant, String sha256) {
		return tenant + "/" + sha256;
	}

	public static String staged(String tenant, String uploadId, int index) {
		return STAGING_PREFIX + tenant + "/" + uploadId + "/" + index;
	}

	/**
	 * Where a single-file upload waits whose credential comes after its file: under the staging
	 * prefix (so the sweeper removes it if it is left), in a folder no tenant id can name.
	 */
	public static String unclaimed(String uploadId) {
		return STAGING_PREFIX + "~unclaimed/" + uploadId + "/0";
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

	/** Longest file name of an image key: a 64-digit content hash or a rendition name, and an extension. */
	private static final int MAX_IMAGE_NAME = 128;

	/** A file (or a rendition folder) name of an image key: never {@code .} or {@code ..}. */
	private static final Pattern IMAGE_NAME = Pattern.compile("(?!\\.\\.?$)[A-Za-z0-9._-]{1," + MAX_IMAGE_NAME + "}");

	/**
	 * Whether a key is one of the file service's ({@code vault/…}, {@code vault-index/…},
	 * {@code vault-renditions/…}, {@code vault-images/…}): private to it, so never given a URL under
	 * the public image origin.
	 */
	public static boolean isVault(String key) {
		return key != null && (key.startsWith(VAULT_PREFIX) || key.startsWith(VAULT_INDEX_PREFIX)
				|| key.startsWith(VAULT_RENDITIONS_PREFIX) || key.startsWith(VAULT_IMAGES_PREFIX));
	}

	/**
	 * Whether a key is one that may be served publicly as an image URL: an
	 * {@code images/{tenant}/{name}} or {@code images/{tenant}/{sha256}/{name}} key of the shape
	 * {@link #original} and {@link #rendition} write (a valid tenant id; names of letters, digits,
	 * {@code . _ -}, at most 128 characters). A key Intake could never have written is not public,
	 * so it is refused without asking the store.
	 */
	public static boolean isPublicImage(String key) {
		return isServable(key, IMAGES_PREFIX, 3);
	}

	/**
	 * Whether a key is a stored document ({@code files/{tenant}/{name}}), served publicly as a
	 * download; the same rules as {@link #isPublicImage}.
	 */
	public static boolean isPublicDocument(String key) {
		return isServable(key, FILES_PREFIX, 2);
	}

	private static boolean isServable(String key, String prefix, int maxSegments) {
		if (key == null || !key.startsWith(prefix)
				|| key.length() > prefix.length() + 64 + 2 * (MAX_IMAGE_NAME + 1)) {
			return false;
		}
		String[] segments = key.substring(prefix.length()).split("/", -1);
		if (segments.length < 2 || segments.length > maxSegments || !BatchKey.TENANT.matcher(segments[0]).matches()) {
			return false;
		}
		for (int i = 1; i < segments.length; i++) {
			if (!IMAGE_NAME.matcher(segments[i]).matches()) {
				return false;
			}
		}
		return true;
	}

}
