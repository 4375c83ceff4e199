package dev.intake.worker.sweep;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.intake.contracts.ObjectKeys;
import dev.intake.contracts.LogSafe;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Removes what crashes and kept bytes leave in the bucket, since the S3 servers Intake runs on
 * (S3Proxy) have no lifecycle rules: staged uploads ({@code staging/}) older than
 * {@code stagedMaxAge}; uploads ({@code uploads/{hour}/…}) older than {@code stagedMaxAge} which
 * the content index does not keep; and incomplete multipart uploads
 * anywhere in the bucket initiated more than {@code multipartMaxAge} ago.
 * <p>
 * Uploads are walked hour by hour, oldest first, listing only the hour folders that began before
 * the cutoff (at most one of them holds newer objects, which are left alone). For each list page (at most 1000 keys) it asks the
 * status-service which keys are owned and deletes the others with one DeleteObjects; without a
 * well-formed answer it deletes nothing more in that run, so an owned upload is never deleted.
 * <p>
 * Leader-less and safe on any number of instances at once: it only deletes by age (and, for
 * uploads, by the index's answer), every delete and abort is idempotent (a key or upload someone
 * else removed first is skipped), and a run stops after {@code maxDeletesPerRun} of each kind;
 * the rest waits for the next run.
 */
class StagingSweeper {

	private static final Log logger = LogFactory.getLog(StagingSweeper.class);

	/** DeleteObjects takes at most this many keys. */
	private static final int DELETE_CHUNK = 1000;

	private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuuMMddHH");

	private final S3Client s3;

	private final String bucket;

	private final SweeperProperties props;

	private final OwnedUploads owned;

	private final Clock clock;

	StagingSweeper(S3Client s3, String bucket, SweeperProperties props, OwnedUploads owned, Clock clock) {
		this.s3 = s3;
		this.bucket = bucket;
		this.props = props;
		this.owned = owned;
		this.clock = clock;
	}

	/** What one run removed. */
	record Swept(int stagedObjects, int uploadObjects, int multipartUploads) {
	}

	/** One sweep; failures are logged and the run ends early, the next run picks up. */
	Swept sweep() {
		Instant now = clock.instant();
		int staged = 0;
		int orphans = 0;
		int uploads = 0;
		try {
			staged = sweepStaged(now.minus(props.stagedMaxAge()));
			orphans = sweepUploads(now.minus(props.stagedMaxAge()));
			uploads = abortMultipartUploads(now.minus(props.multipartMaxAge()));
		}
		catch (SdkException ex) {
			logger.warn("Staging sweep of bucket " + bucket + " stopped early: " + ex.getMessage());
		}
		if (staged > 0 || orphans > 0 || uploads > 0) {
			logger.info("Staging sweep removed " + staged + " staged objects and " + orphans
					+ " uploads no stored item keeps older than " + describe(props.stagedMaxAge()) + " and aborted "
					+ uploads + " incomplete multipart uploads older than " + describe(props.multipartMaxAge()));
		}
		return new Swept(staged, orphans, uploads);
	}

	/**
	 * Deletes the uploads written before {@code cutoff} that the content index does not keep,
	 * listing only the hour folders that began before it.
	 */
	private int sweepUploads(Instant cutoff) {
		int deleted = 0;
		for (CommonPrefix folder : s3
			.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(ObjectKeys.UPLOADS_PREFIX).delimiter("/"))
			.commonPrefixes()) {
			Instant hour = hourOf(folder.prefix());
			if (hour == null) {
				continue;
			}
			if (!hour.isBefore(cutoff)) {
				// hour folders list in time order: every later one began after the cutoff too
				break;
			}
			for (ListObjectsV2Response page : s3
				.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(folder.prefix()).maxKeys(DELETE_CHUNK))) {
				List<String> old = new ArrayList<>();
				for (S3Object object : page.contents()) {
					if (object.lastModified() != null && object.lastModified().isBefore(cutoff)
							&& old.size() < props.maxDeletesPerRun() - deleted) {
						old.add(object.key());
					}
				}
				if (old.isEmpty()) {
					continue;
				}
				Set<String> kept;
				try {
					kept = owned.owned(old);
				}
				catch (IOException ex) {
					logger.warn("Upload sweep stopped, nothing more deleted until the next run: cannot tell which "
							+ "uploads the content index keeps (" + ex.getMessage() + ")");
					return deleted;
				}
				List<ObjectIdentifier> orphans = old.stream()
					.filter(key -> !kept.contains(key))
					.map(key -> ObjectIdentifier.builder().key(key).build())
					.toList();
				deleted += delete(orphans, "upload");
				if (deleted >= props.maxDeletesPerRun()) {
					return deleted;
				}
			}
		}
		return deleted;
	}

	/** The start of the hour an {@code uploads/{yyyyMMddHH}/} folder names, or null for another folder. */
	private static Instant hourOf(String folder) {
		String hour = folder.substring(ObjectKeys.UPLOADS_PREFIX.length(), folder.length() - 1);
		if (hour.length() != 10) {
			return null;
		}
		try {
			return LocalDateTime.parse(hour, HOUR).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
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
		return delete(old, "staged object");
	}

	/** Deletes {@code objects}, at most {@value #DELETE_CHUNK} per DeleteObjects; how many went. */
	private int delete(List<ObjectIdentifier> objects, String what) {
		int deleted = 0;
		for (int from = 0; from < objects.size(); from += DELETE_CHUNK) {
			List<ObjectIdentifier> chunk = objects.subList(from, Math.min(objects.size(), from + DELETE_CHUNK));
			DeleteObjectsResponse response = s3
				.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(chunk).quiet(true)));
			response.errors()
				.forEach(error -> logger.warn("Could not delete " + what + " " + LogSafe.text(error.key()) + ": "
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
