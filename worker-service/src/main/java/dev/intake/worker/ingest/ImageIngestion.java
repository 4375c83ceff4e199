package dev.intake.worker.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemError;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.ItemResult.ImageFailed;
import dev.intake.contracts.ItemResult.ImageStored;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.ObjectKeys;
import dev.intake.contracts.StoredImage;
import dev.intake.worker.LogSafe;

/**
 * Ingests one image job: obtains the bytes, lets them decide the format, checks size and pixel
 * limits from the header, stores the original under a content-derived key, publishes the item's
 * result and then drops the staged object.
 * <p>
 * At-least-once and idempotent: a redelivered job recomputes everything and writes the same key
 * (identical bytes of a tenant are stored once); a duplicate result is harmless. The staged
 * object is deleted only after the result is durable, so a crash at any point loses nothing.
 * Problems with the image are {@link ImageFailed} results; infrastructure problems are thrown
 * ({@link TransientFailure} when worth a retry).
 */
public class ImageIngestion {

	private static final Log logger = LogFactory.getLog(ImageIngestion.class);

	private final ImageStore store;

	private final ImageInspector inspector;

	private final ResultPublisher results;

	private final long maxImageSize;

	private final Path tempDir;

	private final Clock clock;

	ImageIngestion(ImageStore store, ImageInspector inspector, ResultPublisher results, long maxImageSize,
			Path tempDir, Clock clock) {
		this.store = store;
		this.inspector = inspector;
		this.results = results;
		this.maxImageSize = maxImageSize;
		this.tempDir = tempDir;
		this.clock = clock;
	}

	/**
	 * Processes the job to its final result and publishes it.
	 * @throws InvalidJobException if the job record is unusable
	 * @throws TransientFailure if storage or the broker failed in a way worth a retry
	 */
	public ItemResult ingest(IngestImage job) {
		JobCheck.requireValid(job);
		ItemResult result = (job.source() instanceof ItemSource.Staged staged) ? ingestStaged(job, staged)
				: ItemFailures.urlFetchDisabled(job, clock.instant());
		results.publish(result);
		log(job, result);
		if (job.source() instanceof ItemSource.Staged staged && !isSourceMissing(result)) {
			store.deleteStaged(staged.blob());
		}
		return result;
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
				return ItemFailures.tooLarge(job, tooLarge.size(), maxImageSize, now);
			}
			StagedDownload.Complete bytes = (StagedDownload.Complete) download;
			Inspection inspection = inspector.inspect(job, file, now);
			if (inspection instanceof Inspection.Refused refused) {
				return refused.failure();
			}
			Inspection.Accepted image = (Inspection.Accepted) inspection;
			String key = ObjectKeys.original(job.tenant(), bytes.sha256(), image.format());
			String contentType = image.format().contentType();
			if (!store.storeOriginal(staged.blob(), bytes.eTag(), key, contentType, bytes.size())) {
				return ItemFailures.sourceMissing(job, clock.instant());
			}
			StoredImage stored = new StoredImage(store.bucket(), key, bytes.size(), contentType, image.format(),
					bytes.md5(), bytes.sha256(), image.size().width(), image.size().height());
			return new ImageStored(job.tenant(), job.batchId(), job.itemId(), job.index(), job.attempt(), stored,
					clock.instant());
		}
		finally {
			deleteQuietly(file);
		}
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

	private static boolean isSourceMissing(ItemResult result) {
		return result instanceof ImageFailed failed && ItemError.SOURCE_MISSING.name().equals(failed.code());
	}

	private static void log(IngestImage job, ItemResult result) {
		String item = "tenant=" + LogSafe.text(job.tenant()) + " batch=" + LogSafe.text(job.batchId()) + " index="
				+ job.index() + " attempt=" + job.attempt();
		if (result instanceof ImageStored stored) {
			StoredImage image = stored.image();
			logger.info("Stored item " + item + " format=" + image.format() + " size=" + image.size() + " "
					+ image.width() + "x" + image.height() + " key=" + image.key());
		}
		else if (result instanceof ImageFailed failed) {
			logger.info(
					"Failed item " + item + " code=" + failed.code() + " message=" + LogSafe.text(failed.message()));
		}
	}

}
