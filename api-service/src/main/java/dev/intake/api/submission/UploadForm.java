package dev.intake.api.submission;

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
final class UploadForm {

	private final List<StagedFile> files = new ArrayList<>();

	private final List<String> names = new ArrayList<>();

	private final List<String> batchIds = new ArrayList<>();

	void addFile(StagedFile file) {
		files.add(file);
	}

	void addName(String name) {
		names.add(name);
	}

	void addBatchId(String batchId) {
		batchIds.add(batchId);
	}

	/**
	 * The batch this form describes, or the {@link dev.intake.api.error.ApiProblem} that explains
	 * why there is none. Missing batch ids are made up; missing names are the file names.
	 */
	AcceptedUpload accept(String tenant, String bucket) {
		if (files.isEmpty()) {
			throw UploadMessages.emptyFileList();
		}
		if (!names.isEmpty() && names.size() != files.size()) {
			throw UploadMessages.namesMismatch();
		}
		if (batchIds.size() > 1) {
			throw UploadMessages.repeatedBatchId();
		}
		String batchId = batchIds.isEmpty() ? Ids.batchId() : batchIds.get(0);
		if (!BatchKey.isValidBatchId(batchId)) {
			throw UploadMessages.invalidBatchId();
		}
		BatchKey key = new BatchKey(tenant, batchId);
		List<SubmittedItem> items = new ArrayList<>(files.size());
		for (int i = 0; i < files.size(); i++) {
			StagedFile file = files.get(i);
			String name = (names.isEmpty() || names.get(i).isBlank()) ? file.filename() : names.get(i);
			BlobRef blob = new BlobRef(bucket, file.key(), file.size(), file.contentType());
			items.add(new SubmittedItem(file.index(), ItemIds.of(key, file.index()), name,
					new ItemSource.Staged(blob, file.filename())));
		}
		return new AcceptedUpload(key, items);
	}

	/** A request that passed every check: its batch key and items, all staged. */
	record AcceptedUpload(BatchKey key, List<SubmittedItem> items) {
	}

}
