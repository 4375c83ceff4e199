package dev.intake.worker.ingest;

/** What became of copying a staged object to a local file. */
sealed interface StagedDownload {

	/** The bytes are in the file, measured and hashed in the same pass. */
	record Complete(long size, String md5, String sha256, String eTag) implements StagedDownload {
	}

	/** The object is over the size limit; reading stopped there. */
	record TooLarge(long size) implements StagedDownload {
	}

	/** The object does not exist (any more). */
	record Missing() implements StagedDownload {
	}

}
