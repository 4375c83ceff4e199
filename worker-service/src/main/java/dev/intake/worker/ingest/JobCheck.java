package dev.intake.worker.ingest;

import dev.intake.contracts.BatchKey;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.ObjectKeys;

/** What a job record must satisfy before a worker acts on it or reports on it. */
public final class JobCheck {

	private JobCheck() {
	}

	/** Whether a result can be published for the job: its batch key and item are well formed. */
	public static boolean isAddressable(IngestImage job) {
		return job != null && job.tenant() != null && BatchKey.TENANT.matcher(job.tenant()).matches()
				&& BatchKey.isValidBatchId(job.batchId()) && job.itemId() != null && !job.itemId().isBlank()
				&& job.index() >= 0;
	}

	/** @throws InvalidJobException unless the job is addressable and its source usable */
	static void requireValid(IngestImage job) {
		if (!isAddressable(job)) {
			throw new InvalidJobException("job without a valid tenant, batch id, item id or index");
		}
		if (job.source() instanceof ItemSource.Staged staged) {
			// a job may only read its own tenant's uploads (or, queued before them, staging area)
			String prefix = ObjectKeys.STAGING_PREFIX + job.tenant() + "/";
			if (staged.blob() == null || staged.blob().bucket() == null || staged.blob().key() == null
					|| !(staged.blob().key().startsWith(prefix)
							|| job.tenant().equals(ObjectKeys.uploadTenant(staged.blob().key())))
					|| staged.blob().key().contains("..")) {
				throw new InvalidJobException("staged source outside the tenant's staging area");
			}
		}
		else if (!(job.source() instanceof ItemSource.Remote) && !(job.source() instanceof ItemSource.Vault)) {
			// a file-service source is checked by VaultIngestion, against the bucket it reads
			throw new InvalidJobException("job without a source");
		}
	}

}
