package dev.intake.worker.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.intake.contracts.BlobRef;
import dev.intake.contracts.DocumentFormat;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The worker's S3 operations: stream a staged object to a file, store an original or a document by
 * server-side copy (or a fetched one by PutObject), store renditions, drop a staged object. Transient S3 failures surface as
 * {@link TransientFailure}; the image bytes never sit in the heap whole.
 */
class ImageStore {

	private static final Log logger = LogFactory.getLog(ImageStore.class);

	private final S3Client s3;

	private final String bucket;

	private final StagedDeletes stagedDeletes;

	ImageStore(S3Client s3, String bucket) {
		this(s3, bucket, new StagedDeletes(s3, Duration.ofSeconds(5), 10_000));
	}

	ImageStore(S3Client s3, String bucket, StagedDeletes stagedDeletes) {
		this.s3 = s3;
		this.bucket = bucket;
		this.stagedDeletes = stagedDeletes;
	}

	/** The bucket originals are stored in. */
	String bucket() {
		return bucket;
	}

	/** Streams the staged object into {@code target}, computing md5 and sha256 on the way. */
	StagedDownload download(BlobRef staged, Path target, long maxBytes) {
		ResponseInputStream<GetObjectResponse> in;
		try {
			in = s3.getObject(b -> b.bucket(staged.bucket()).key(staged.key()));
		}
		catch (NoSuchKeyException ex) {
			return new StagedDownload.Missing();
		}
		catch (SdkException ex) {
			throw TransientFailure.fromS3("GetObject", ex);
		}
		try (in) {
			Long declared = in.response().contentLength();
			if (declared != null && declared > maxBytes) {
				in.abort();
				return new StagedDownload.TooLarge(declared);
			}
			DigestingCopy.Result copy;
			try (OutputStream out = Files.newOutputStream(target)) {
				copy = DigestingCopy.copy(in, out, maxBytes);
			}
			if (!copy.complete()) {
				// stop here rather than draining the rest of a large object
				in.abort();
				return new StagedDownload.TooLarge(copy.size());
			}
			return new StagedDownload.Complete(copy.size(), copy.md5(), copy.sha256(), in.response().eTag());
		}
		catch (IOException ex) {
			throw new TransientFailure("reading staged object failed: " + ex.getMessage(), ex);
		}
		catch (SdkException ex) {
			throw TransientFailure.fromS3("GetObject", ex);
		}
	}

	/** What storing an original found: a new object, or one another item already stored. */
	enum Original {

		/** Stored now, or by an earlier delivery of the same item. */
		STORED,
		/** Identical bytes of the same tenant were already stored by another item. */
		DUPLICATE,
		/** The staged object vanished and the key does not hold the image. */
		SOURCE_MISSING

	}

	/** Object metadata naming the item that first stored an original. */
	static final String ITEM_METADATA = "intake-item";

	/**
	 * Makes {@code key} hold the staged bytes: a server-side copy, skipped when the key already
	 * holds an object of that size (content-addressed keys: same key, same bytes).
	 * @param eTag the staged object's ETag when it was hashed; the copy only proceeds if the
	 * object is still the same, or null to copy unconditionally
	 */
	Original storeOriginal(BlobRef staged, String eTag, String key, String contentType, long size, String itemId) {
		Original existing = existing(key, size, itemId);
		if (existing != null) {
			return existing;
		}
		try {
			s3.copyObject(b -> b.sourceBucket(staged.bucket())
				.sourceKey(staged.key())
				.destinationBucket(bucket)
				.destinationKey(key)
				.metadataDirective(MetadataDirective.REPLACE)
				.metadata(Map.of(ITEM_METADATA, itemId))
				.contentType(contentType)
				.contentDisposition(disposition(contentType))
				.copySourceIfMatch(eTag));
			return Original.STORED;
		}
		catch (NoSuchKeyException ex) {
			// a concurrent delivery of the same job may have stored it and dropped the staged copy
			Original after = existing(key, size, itemId);
			return (after != null) ? after : Original.SOURCE_MISSING;
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 412) {
				// the staged object changed since it was hashed: a retry hashes it again
				throw new TransientFailure("staged object changed while it was processed", ex);
			}
			throw TransientFailure.fromS3("CopyObject", ex);
		}
		catch (SdkException ex) {
			throw TransientFailure.fromS3("CopyObject", ex);
		}
	}

	/**
	 * Makes {@code key} hold the bytes of {@code file} (fetched from a URL, so there is no staged
	 * object to copy): one PutObject, skipped when the key already holds an object of that size.
	 */
	Original putOriginal(Path file, String key, String contentType, long size, String itemId) {
		Original existing = existing(key, size, itemId);
		if (existing != null) {
			return existing;
		}
		try {
			s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength(size)
				.contentDisposition(disposition(contentType))
				.metadata(Map.of(ITEM_METADATA, itemId)), RequestBody.fromFile(file));
			return Original.STORED;
		}
		catch (SdkException ex) {
			throw TransientFailure.fromS3("PutObject", ex);
		}
	}

	/**
	 * Writes fetched bytes to an upload object of their own: one PutObject. The key is new for
	 * every call, so no object the content index names is ever rewritten.
	 */
	void putUpload(Path file, String key, String contentType, long size) {
		try {
			s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength(size),
					RequestBody.fromFile(file));
		}
		catch (SdkException ex) {
			throw TransientFailure.fromS3("PutObject", ex);
		}
	}

	/** Stores a rendition (small, encoded in memory); same key, same bytes, so overwriting is harmless. */
	void putRendition(String key, String contentType, byte[] bytes) {
		try {
			s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength((long) bytes.length),
					RequestBody.fromBytes(bytes));
		}
		catch (SdkException ex) {
			throw TransientFailure.fromS3("PutObject", ex);
		}
	}

	/** Now, or once storage answers again (see {@link StagedDeletes}); never fails the item. */
	void deleteStaged(BlobRef staged) {
		stagedDeletes.delete(staged);
	}

	/**
	 * SVG originals and documents are downloads, never pages a browser opens (and could run
	 * script in) when someone follows a direct link; S3 hands this header back on every GET.
	 */
	private static String disposition(String contentType) {
		return ("image/svg+xml".equals(contentType) || DocumentFormat.forContentType(contentType).isPresent())
				? "attachment" : null;
	}

	/** What the key already holds for this item, or null when it holds no such object. */
	private Original existing(String key, long size, String itemId) {
		try {
			HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
			if (head.contentLength() == null || head.contentLength() != size) {
				return null;
			}
			String storedBy = head.metadata().get(ITEM_METADATA);
			return itemId.equals(storedBy) ? Original.STORED : Original.DUPLICATE;
		}
		catch (NoSuchKeyException ex) {
			return null;
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return null;
			}
			throw TransientFailure.fromS3("HeadObject", ex);
		}
		catch (SdkException ex) {
			throw TransientFailure.fromS3("HeadObject", ex);
		}
	}

}
