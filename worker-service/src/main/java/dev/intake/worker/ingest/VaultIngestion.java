package dev.intake.worker.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.ItemResult.ImageStored;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.ObjectKeys;
import dev.intake.contracts.Rendition;
import dev.intake.contracts.StoredImage;
import dev.intake.contracts.Topics;
import dev.intake.worker.imaging.rendition.RenditionMaker;
import dev.intake.worker.ingest.inspect.ImageInspector;
import dev.intake.worker.ingest.inspect.Inspection;

/**
 * Checks and measures a file-service version where it is stored ({@link ItemSource.Vault}): the
 * object is read once into a temporary file, never copied to the public image keys and never
 * deleted; renditions are written under the version's private folder
 * ({@link ObjectKeys#vaultRenditions}); the item's result, success or failure, is written to
 * {@link ObjectKeys#vaultImage}, where the file service reads it, before it is published like any
 * item's result. Images only: bytes that are no image fail as any image item's would.
 * <p>
 * Idempotent: a redelivered job writes the same renditions and outcome again. The outcome of a
 * later attempt (a retry round) overwrites an earlier one.
 */
final class VaultIngestion {

	private static final Log logger = LogFactory.getLog(VaultIngestion.class);

	private static final Pattern HANDLE = Pattern
		.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	private static final Pattern EXTENSION = Pattern.compile("(\\.[a-z0-9]{1,5})?");

	private static final Set<String> ACLS = Set.of("private", "public");

	private static final String OUTCOME_TYPE = "application/json";

	private final ImageStore store;

	private final ImageInspector inspector;

	private final long maxImageSize;

	private final Path tempDir;

	private final Clock clock;

	VaultIngestion(ImageStore store, ImageInspector inspector, long maxImageSize, Path tempDir, Clock clock) {
		this.store = store;
		this.inspector = inspector;
		this.maxImageSize = maxImageSize;
		this.tempDir = tempDir;
		this.clock = clock;
	}

	/**
	 * @throws InvalidJobException unless the source names a version object of the job's own
	 * tenant in the store's bucket, by an ACL segment and a handle of the shape the file service makes
	 */
	void requireValid(IngestImage job, ItemSource.Vault vault) {
		if (!isValid(job, vault)) {
			throw new InvalidJobException("file-service source outside the tenant's version objects");
		}
	}

	/** Whether {@link #requireValid} accepts the source. */
	boolean isValid(IngestImage job, ItemSource.Vault vault) {
		String acl = vault.acl();
		String handle = vault.handle();
		if (!JobCheck.isAddressable(job) || vault.blob() == null || vault.blob().key() == null
				|| !store.bucket().equals(vault.blob().bucket()) || acl == null || !ACLS.contains(acl)
				|| handle == null || !HANDLE.matcher(handle).matches()) {
			return false;
		}
		String version = ObjectKeys.vaultFile(job.tenant(), acl, handle, "");
		String key = vault.blob().key();
		return key.startsWith(version) && EXTENSION.matcher(key.substring(version.length())).matches();
	}

	/** Checks, measures and renders the version, records the outcome and returns it (not yet published). */
	ItemResult ingest(IngestImage job, ItemSource.Vault vault) {
		requireValid(job, vault);
		ItemResult result = inspect(job, vault);
		record(job, vault, result);
		return result;
	}

	/** Writes the outcome of the version's item where the file service reads it. */
	void record(IngestImage job, ItemSource.Vault vault, ItemResult result) {
		byte[] outcome = Topics.RESULTS.valueSerde().serializer().serialize(Topics.RESULTS.name(), result);
		store.putRendition(ObjectKeys.vaultImage(job.tenant(), vault.handle()), OUTCOME_TYPE, outcome);
	}

	private ItemResult inspect(IngestImage job, ItemSource.Vault vault) {
		Path file = createTempFile();
		try {
			StagedDownload download = store.download(vault.blob(), file, maxImageSize);
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
			if (!(inspection instanceof Inspection.Accepted image)) {
				return ItemFailures.unsupportedFormat(job, now);
			}
			List<Rendition> renditions = new ArrayList<>();
			for (RenditionMaker.Encoded encoded : image.renditions()) {
				String key = ObjectKeys.vaultRendition(job.tenant(), vault.acl(), vault.handle(), encoded.spec().name(),
						encoded.format().extension());
				store.putRendition(key, encoded.format().contentType(), encoded.bytes());
				renditions.add(new Rendition(encoded.spec().name(), key, encoded.format().contentType(),
						encoded.size().width(), encoded.size().height(), encoded.bytes().length));
			}
			StoredImage stored = new StoredImage(store.bucket(), vault.blob().key(), bytes.size(),
					image.format().contentType(), image.format(), bytes.md5(), bytes.sha256(), image.size().width(),
					image.size().height(), image.frames(), renditions, false);
			return new ImageStored(job.tenant(), job.batchId(), job.itemId(), job.index(), job.attempt(), stored,
					clock.instant());
		}
		finally {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				logger.warn("Could not delete temporary file " + file + ": " + ex.getMessage());
			}
		}
	}

	private Path createTempFile() {
		try {
			return Files.createTempFile(tempDir, "vault-", ".img");
		}
		catch (IOException ex) {
			throw new TransientFailure("cannot create a temporary file in " + tempDir, ex);
		}
	}

}
