package dev.intake.worker.ingest;

/**
 * A job record that no worker can process as it stands (missing fields, ids that do not match
 * the contract, a staged key outside the tenant's staging area). Never retried: the record goes
 * to the dead-letter topic.
 */
public class InvalidJobException extends RuntimeException {

	public InvalidJobException(String message) {
		super(message);
	}

}
