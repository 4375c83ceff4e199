package dev.intake.worker.sweep;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.intake.contracts.ObjectKeys;
import dev.intake.contracts.LogSafe;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Removes what crashes and kept bytes leave in the bucket, since the S3 servers Intake runs on
 * (S3Proxy) have no lifecycle rules: staged uploads ({@code staging/}) older than
 * {@code stagedMaxAge}, and incomplete multipart uploads anywhere in the bucket initiated more than
 * {@code multipartMaxAge} ago.
 * <p>
 * Leader-less and safe on any number of instances at once: it only deletes by age, every delete
 * and abort is idempotent (a key or upload someone else removed first is skipped), and a run
 * stops after {@code maxDeletesPerRun}; the rest waits for the next run.
 */
class StagingSweeper {

	private static final Log logger = LogFactory.getLog(StagingSweeper.class);

	/** DeleteObjects takes at most this many keys. */
	private static final int DELETE_CHUNK = 1000;

	private final S3Client s3;

	private final String bucket;

	private final SweeperProperties props;

	private final Clock clock;

	StagingSweeper(S3Client s3, String bucket, SweeperProperties props, Clock clock) {
		this.s3 = s3;
		this.bucket = bucket;
		this.props = props;
		this.clock = clock;
	}

	/** What one run removed. */
	record Swept(int stagedObjects, int multipartUploads) {
	}

	/** One sweep; failures are logged and the run ends early, the next run picks up. */
	Swept sweep() {
		Instant now = clock.instant();
		int staged = 0;
		int uploads = 0;
		try {
			staged = sweepStaged(now.minus(props.stagedMaxAge()));
			uploads = abortMultipartUploads(now.minus(props.multipartMaxAge()));
		}
		catch (SdkException ex) {
			logger.warn("Staging sweep of bucket " + bucket + " stopped early: " + ex.getMessage());
		}
		if (staged > 0 || uploads > 0) {
			logger.info("Staging sweep removed " + staged + " staged objects older than "
					+ describe(props.stagedMaxAge()) + " and aborted " + uploads
					+ " incomplete multipart uploads older than " + describe(props.multipartMaxAge()));
		}
		return new Swept(staged, uploads);
	}

	private int sweepStaged(Instant cutoff) {
		List<ObjectIdentifier> old = new ArrayList<>();
		for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(ObjectKeys.STAGING_PREFIX))
			.contents()) {
			if (object.lastModified() != null && object.lastModified().isBefore(cutoff)) {
				old.add(ObjectIdentifier.builder().key(object.key()).build());
				if (old.size() >= props.maxDeletesPerRun()) {
					break;
				}
			}
		}
		int deleted = 0;
		for (int from = 0; from < old.size(); from += DELETE_CHUNK) {
			List<ObjectIdentifier> chunk = old.subList(from, Math.min(old.size(), from + DELETE_CHUNK));
			DeleteObjectsResponse response = s3
				.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(chunk).quiet(true)));
			response.errors()
				.forEach(error -> logger.warn("Could not delete staged object " + LogSafe.text(error.key()) + ": "
						+ error.code()));
			deleted += chunk.size() - response.errors().size();
		}
		return deleted;
	}

	private int abortMultipartUploads(Instant cutoff) {
		int aborted = 0;
		String keyMarker = null;
		String uploadMarker = null;
		do {
			String keys = keyMarker;
			String ids = uploadMarker;
			ListMultipartUploadsResponse page = s3
				.listMultipartUploads(b -> b.bucket(bucket).keyMarker(keys).uploadIdMarker(ids));
			for (MultipartUpload upload : page.uploads()) {
				if (aborted >= props.maxDeletesPerRun()) {
					return aborted;
				}
				if (upload.initiated() != null && upload.initiated().isBefore(cutoff) && abort(upload)) {
					aborted++;
				}
			}
			keyMarker = Boolean.TRUE.equals(page.isTruncated()) ? page.nextKeyMarker() : null;
			uploadMarker = Boolean.TRUE.equals(page.isTruncated()) ? page.nextUploadIdMarker() : null;
		}
		while (keyMarker != null);
		return aborted;
	}

	private boolean abort(MultipartUpload upload) {
		try {
			s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
			return true;
		}
		catch (NoSuchUploadException ex) {
			// completed or aborted by someone else meanwhile
			return false;
		}
	}

	private static String describe(Duration age) {
		return age.toString().substring(2).toLowerCase();
	}

}
