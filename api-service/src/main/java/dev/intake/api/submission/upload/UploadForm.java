package dev.intake.api.submission.upload;

import java.util.ArrayList;
import java.util.List;

import dev.intake.contracts.BatchKey;
import dev.intake.contracts.BlobRef;
import dev.intake.contracts.ItemIds;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.SubmittedItem;

/**
 * What a batch upload request said, collected in arrival order: the staged files, the
 * {@code image_names} and {@code batch_id} fields. Judged as a whole only once the request has
 * ended, since clients send the fields before, between or after the files.
 */
public final class UploadForm {

	/** One entry per {@code files} part: the file, or the images of an archive. */
	private final List<List<StagedFile>> parts = new ArrayList<>();

	private final List<String> names = new ArrayList<>();

	private final List<String> batchIds = new ArrayList<>();

	private final List<String> callbackUrls = new ArrayList<>();

	public void addFile(StagedFile file) {
		parts.add(List.of(file));
	}

	/**
	 * Keeps the place of a file part staged later (a file that waits for an upload slot), so that
	 * parts stay in arrival order; {@link #fillFile} it once the file is staged.
	 */
	public int reserveFile() {
		parts.add(null);
		return parts.size() - 1;
	}

	public void fillFile(int place, StagedFile file) {
		parts.set(place, List.of(file));
	}

	public void addArchive(List<StagedFile> images) {
		parts.add(List.copyOf(images));
	}

	public void addName(String name) {
		names.add(name);
	}

	public void addBatchId(String batchId) {
		batchIds.add(batchId);
	}

	public void addCallbackUrl(String callbackUrl) {
		callbackUrls.add(callbackUrl);
	}

	/**
	 * The batch this form describes, or the {@link dev.intake.api.error.ApiProblem} that explains
	 * why there is none. A missing or empty batch id is {@code defaultBatchId} (an empty callback URL is
	 * none); missing names are the file names. An
	 * archive's images are named by their entries' base names (an image_name given for the archive
	 * is accepted so that names and files still pair up).
	 */
	public AcceptedUpload accept(String tenant, String bucket, String defaultBatchId) {
		if (parts.isEmpty()) {
			throw UploadMessages.emptyFileList();
		}
		if (!names.isEmpty() && names.size() != parts.size()) {
			throw UploadMessages.namesMismatch();
		}
		if (batchIds.size() > 1) {
			throw UploadMessages.repeatedBatchId();
		}
		if (callbackUrls.size() > 1) {
			throw UploadMessages.repeatedCallbackUrl();
		}
		// an empty field is what an HTML form sends for one left blank: not given
		String batchId = (batchIds.isEmpty() || batchIds.get(0).isEmpty()) ? defaultBatchId : batchIds.get(0);
		if (!BatchKey.isValidBatchId(batchId)) {
			throw UploadMessages.invalidBatchId();
		}
		BatchKey key = new BatchKey(tenant, batchId);
		List<SubmittedItem> items = new ArrayList<>();
		for (int i = 0; i < parts.size(); i++) {
			if (parts.get(i) == null) {
				throw new IllegalStateException("part " + (i + 1) + " was never staged");
			}
			for (StagedFile file : parts.get(i)) {
				String name = (file.archive() != null || names.isEmpty() || names.get(i).isBlank()) ? file.filename()
						: names.get(i);
				BlobRef blob = new BlobRef(bucket, file.key(), file.size(), file.contentType());
				items.add(new SubmittedItem(file.index(), ItemIds.of(key, file.index()), name,
						new ItemSource.Staged(blob, file.filename()), file.archive(), file.entry()));
			}
		}
		return new AcceptedUpload(key, items,
				(callbackUrls.isEmpty() || callbackUrls.get(0).isEmpty()) ? null : callbackUrls.get(0));
	}

	/** A request that passed every check: its batch key and items, all staged. */
	/**
	 * A batch ready to publish.
	 * @param callbackUrl where to send the batch's completion, signed; null for none
	 */
	public record AcceptedUpload(BatchKey key, List<SubmittedItem> items, String callbackUrl) {

		public AcceptedUpload(BatchKey key, List<SubmittedItem> items) {
			this(key, items, null);
		}

		public AcceptedUpload withCallbackUrl(String url) {
			return new AcceptedUpload(key, items, url);
		}

	}

}
