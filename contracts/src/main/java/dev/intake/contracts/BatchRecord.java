package dev.intake.contracts;

/**
 * A value of {@link Topics#BATCHES}: the batch's {@link BatchSubmitted}, then any number of
 * {@link BatchRetried} rounds, all under the batch key and so in order on one partition.
 */
public sealed interface BatchRecord permits BatchSubmitted, BatchRetried {

	String tenant();

	String batchId();

}
