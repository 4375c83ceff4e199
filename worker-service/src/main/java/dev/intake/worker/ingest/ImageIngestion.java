package dev.intake.worker.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.intake.contracts.DocumentFormat;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemError;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.ItemResult.ImageFailed;
import dev.intake.contracts.ItemResult.ImageStored;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.LogSafe;
import dev.intake.contracts.ObjectKeys;
import dev.intake.contracts.Rendition;
import dev.intake.contracts.StoredImage;
import dev.intake.worker.fetch.RemoteFetcher;
import dev.intake.worker.imaging.rendition.RenditionMaker;
import dev.intake.worker.ingest.inspect.ImageInspector;
import dev.intake.worker.ingest.inspect.Inspection;

/**
 * Ingests one image job: obtains the bytes (an upload, or a URL fetched by {@link RemoteFetcher}),
 * lets them decide the format, checks size, pixel and frame limits from the header, derives
 * orientation and the renditions of the job's profile from the same read, and reports. A
 * file-service version ({@link ItemSource.Vault}) is checked where it is stored by
 * {@link VaultIngestion}.
 * <p>
 * An image uploaded to {@link ObjectKeys#upload} stays where the api-service wrote it: the worker
 * stores its renditions under the content-derived keys and publishes a <em>candidate</em> result
 * naming that object ({@link StoredImage#object()}); the status-service's content index decides it
 * (the first object of a tenant's content wins, another is a {@code duplicate} and discarded)
 * and publishes the final result. Fetched URL bytes are written once to an upload object of their
 * own and go the same way. No HEAD, no copy, no delete on that path. Documents, and uploads
 * queued under {@code staging/} before, are stored under their content-derived key (server-side
 * copy, skipped when the key holds them already, or PutObject for fetched bytes) and their
 * staged object dropped; an original another item of the tenant already stored is reused and
 * reported as a {@code duplicate}. Rejected bytes are deleted once their result is durable.
 * <p>
 * At-least-once and idempotent: a redelivered job recomputes everything and reports the same
 * object again (the index answers the same), or finds its upload gone because its verdict
 * already removed it: it then reports {@code SOURCE_MISSING}, which the status view ignores for an
 * item that already has its final state at that attempt. Problems with the image are
 * {@link ImageFailed} results; infrastructure problems are thrown ({@link TransientFailure} when
 * worth a retry).
 */
public class ImageIngestion {

	private static final Log logger = LogFactory.getLog(ImageIngestion.class);

	private final ImageStore store;

	private final ImageInspector inspector;

	private final ResultPublisher results;

	private final UrlDownload urlDownload;

	private final long maxImageSize;

	private final Path tempDir;

	private final Clock clock;

	private final VaultIngestion vault;

	ImageIngestion(ImageStore store, ImageInspector inspector, ResultPublisher results, RemoteFetcher fetcher,
			long maxImageSize, Path tempDir, Clock clock) {
		this.store = store;
		this.inspector = inspector;
		this.results = results;
		this.urlDownload = new UrlDownload(fetcher, maxImageSize, clock);
		this.maxImageSize = maxImageSize;
		this.tempDir = tempDir;
		this.clock = clock;
		this.vault = new VaultIngestion(store, inspector, maxImageSize, tempDir, clock);
	}

	/**
	 * Processes the job to its final result and publishes it.
	 * @throws InvalidJobException if the job record is unusable, or names a rendition profile this
	 * worker does not have
	 * @throws TransientFailure if storage or the broker failed in a way worth a retry
	 */
	public ItemResult ingest(IngestImage job) {
		JobCheck.requireValid(job);
		inspector.renditionsOf(job);
		ItemResult result = (job.source() instanceof ItemSource.Vault inPlace) ? vault.ingest(job, inPlace)
				: (job.source() instanceof ItemSource.Staged staged) ? ingestStaged(job, staged)
						: ingestRemote(job, (ItemSource.Remote) job.source());
		results.publish(result);
		log(job, result);
		if (job.source() instanceof ItemSource.Staged staged && !isSourceMissing(result) && !isCandidate(result)) {
			store.deleteStaged(staged.blob());
		}
		return result;
	}

	/**
	 * Records the final failure of a job that ended outside {@link #ingest} (dead-lettered) where
	 * its source keeps its outcome (a file-service version, {@link ItemSource.Vault}); nothing for
	 * other jobs, or a source that names no version of the job's tenant.
	 * @throws TransientFailure if storage failed
	 */
	public void recordFailure(IngestImage job, ImageFailed failed) {
		if (job.source() instanceof ItemSource.Vault inPlace && vault.isValid(job, inPlace)) {
			vault.record(job, inPlace, failed);
		}
	}

	/**
	 * Deletes a job's staged upload (best effort; nothing for a URL job). For jobs that end
	 * outside {@link #ingest}, e.g. dead-lettered, when their bytes are not kept for a retry.
	 */
	public void discardStaged(IngestImage job) {
		if (job.source() instanceof ItemSource.Staged staged && staged.blob() != null) {
			store.deleteStaged(staged.blob());
		}
	}

	private ItemResult ingestStaged(IngestImage job, ItemSource.Staged staged) {
		Path file = createTempFile();
		try {
			StagedDownload download = store.download(staged.blob(), file, maxImageSize);
			Instant now = clock.instant();
			if (download instanceof StagedDownload.Missing) {
				return ItemFailures.sourceMissing(job, now);
			}
			if (download instanceof StagedDownload.TooLarge tooLarge) {
				return job.options().documents() ? ItemFailures.fileTooLarge(job, tooLarge.size(), maxImageSize, now)
						: ItemFailures.tooLarge(job, tooLarge.size(), maxImageSize, now);
			}
			StagedDownload.Complete bytes = (StagedDownload.Complete) download;
			Inspection inspection = inspector.inspect(job, file, now);
			if (inspection instanceof Inspection.Refused refused) {
				return refused.failure();
			}
			if (inspection instanceof Inspection.Document document) {
				String key = ObjectKeys.document(job.tenant(), bytes.sha256(), document.format());
				ImageStore.Original original = store.storeOriginal(staged.blob(), bytes.eTag(), key,
						document.format().contentType(), bytes.size(), job.itemId());
				if (original == ImageStore.Original.SOURCE_MISSING) {
					return ItemFailures.sourceMissing(job, clock.instant());
				}
				return documentStored(job, document.format(), key, bytes.size(), bytes.md5(), bytes.sha256(), original);
			}
			Inspection.Accepted image = (Inspection.Accepted) inspection;
			String key = ObjectKeys.original(job.tenant(), bytes.sha256(), image.format());
			if (ObjectKeys.uploadTenant(staged.blob().key()) != null) {
				// written once by the api-service: it stays where it is, the content index decides
				return stored(job, image, key, bytes.size(), bytes.md5(), bytes.sha256(), staged.blob().key());
			}
			ImageStore.Original original = store.storeOriginal(staged.blob(), bytes.eTag(), key,
					image.format().contentType(), bytes.size(), job.itemId());
			if (original == ImageStore.Original.SOURCE_MISSING) {
				return ItemFailures.sourceMissing(job, clock.instant());
			}
			return stored(job, image, key, bytes.size(), bytes.md5(), bytes.sha256(), original);
		}
		finally {
			deleteQuietly(file);
		}
	}

	private ItemResult ingestRemote(IngestImage job, ItemSource.Remote remote) {
		Path file = createTempFile();
		try {
			UrlDownload.Outcome download = urlDownload.download(job, remote.url(), file);
			if (download.failure() != null) {
				return download.failure();
			}
			DigestingCopy.Result copy = download.bytes();
			Inspection inspection = inspector.inspect(job, file, clock.instant());
			if (inspection instanceof Inspection.Refused refused) {
				return refused.failure();
			}
			if (inspection instanceof Inspection.Document document) {
				String key = ObjectKeys.document(job.tenant(), copy.sha256(), document.format());
				ImageStore.Original original = store.putOriginal(file, key, document.format().contentType(),
						copy.size(), job.itemId());
				return documentStored(job, document.format(), key, copy.size(), copy.md5(), copy.sha256(), original);
			}
			Inspection.Accepted image = (Inspection.Accepted) inspection;
			String key = ObjectKeys.original(job.tenant(), copy.sha256(), image.format());
			// an object of this execution's own: a redelivery never rewrites bytes an index entry names
			String object = ObjectKeys.upload(clock.instant(), job.tenant(), "url-" + UUID.randomUUID(), job.index());
			store.putUpload(file, object, image.format().contentType(), copy.size());
			return stored(job, image, key, copy.size(), copy.md5(), copy.sha256(), object);
		}
		finally {
			deleteQuietly(file);
		}
	}

	/** Stores the renditions beside the original and builds the item's result. */
	private ImageStored stored(IngestImage job, Inspection.Accepted image, String key, long size, String md5,
			String sha256, ImageStore.Original original) {
		return stored(job, image, key, size, md5, sha256, original == ImageStore.Original.DUPLICATE, null);
	}

	/** A candidate: the verified bytes stay in the upload {@code object}, for the content index to decide. */
	private ImageStored stored(IngestImage job, Inspection.Accepted image, String key, long size, String md5,
			String sha256, String object) {
		return stored(job, image, key, size, md5, sha256, false, object);
	}

	private ImageStored stored(IngestImage job, Inspection.Accepted image, String key, long size, String md5,
			String sha256, boolean duplicate, String object) {
		List<Rendition> renditions = new ArrayList<>();
		for (RenditionMaker.Encoded encoded : image.renditions()) {
			String renditionKey = ObjectKeys.rendition(job.tenant(), sha256, encoded.spec().name(),
					encoded.format().extension());
			store.putRendition(renditionKey, encoded.format().contentType(), encoded.bytes());
			renditions.add(new Rendition(encoded.spec().name(), renditionKey, encoded.format().contentType(),
					encoded.size().width(), encoded.size().height(), encoded.bytes().length));
		}
		StoredImage stored = new StoredImage(store.bucket(), key, size, image.format().contentType(), image.format(),
				md5, sha256, image.size().width(), image.size().height(), image.frames(), renditions, duplicate, null,
				object);
		return new ImageStored(job.tenant(), job.batchId(), job.itemId(), job.index(), job.attempt(), stored,
				clock.instant());
	}

	/** The result of a document stored as it is: no dimensions, no renditions. */
	private ImageStored documentStored(IngestImage job, DocumentFormat format, String key, long size, String md5,
			String sha256, ImageStore.Original original) {
		StoredImage stored = new StoredImage(store.bucket(), key, size, format.contentType(), null, md5, sha256, 0, 0,
				0, List.of(), original == ImageStore.Original.DUPLICATE, format);
		return new ImageStored(job.tenant(), job.batchId(), job.itemId(), job.index(), job.attempt(), stored,
				clock.instant());
	}

	private Path createTempFile() {
		try {
			return Files.createTempFile(tempDir, "ingest-", ".img");
		}
		catch (IOException ex) {
			throw new TransientFailure("cannot create a temporary file in " + tempDir, ex);
		}
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			logger.warn("Could not delete temporary file " + file + ": " + ex.getMessage());
		}
	}

	private static boolean isCandidate(ItemResult result) {
		return result instanceof ImageStored stored && stored.isCandidate();
	}

	private static boolean isSourceMissing(ItemResult result) {
		return result instanceof ImageFailed failed && ItemError.SOURCE_MISSING.name().equals(failed.code());
	}

	private static void log(IngestImage job, ItemResult result) {
		String item = "tenant=" + LogSafe.text(job.tenant()) + " batch=" + LogSafe.text(job.batchId()) + " index="
				+ job.index() + " attempt=" + job.attempt();
		if (result instanceof ImageStored stored) {
			StoredImage image = stored.image();
			logger.info("Stored item " + item + " format="
					+ (image.isImage() ? image.format() : image.document()) + " size=" + image.size() + " "
					+ image.width() + "x" + image.height() + " key=" + image.key()
					+ (stored.isCandidate() ? " object=" + image.object() + " (candidate)" : ""));
		}
		else if (result instanceof ImageFailed failed) {
			logger.info(
					"Failed item " + item + " code=" + failed.code() + " message=" + LogSafe.text(failed.message()));
		}
	}

}
