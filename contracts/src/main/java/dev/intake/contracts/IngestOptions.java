package dev.intake.contracts;

/**
 * How a worker treats one item beyond what every item gets.
 *
 * @param renditionProfile the named set of renditions to make (a worker setting); null: the
 *        default profile, the one the bach.art batch upload answers with
 * @param documents whether files of the document allowlist ({@link DocumentFormat}) are accepted
 *        and stored as they are; false: images only
 */
public record IngestOptions(String renditionProfile, boolean documents) {

	/** Images only, with the default renditions: what every batch item gets. */
	public static final IngestOptions DEFAULT = new IngestOptions(null, false);

}
