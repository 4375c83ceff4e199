package dev.intake.contracts;

/**
 * One item of a submitted batch.
 *
 * @param index zero-based position in the client's input, the {@code index} of the status API
 * @param itemId unique per batch and stable across redeliveries; the key of {@link Topics#JOBS}
 * @param name the image name reported back to the client, without unsafe characters ({@link DisplayNames})
 * @param archive for an image taken from a ZIP archive, the archive's file name; otherwise null
 * @param entry for an image taken from a ZIP archive, its entry path in the archive; otherwise null
 * @param asset the catalogue asset this item's file becomes, for uploads of the single-file APIs;
 *        otherwise null
 */
public record SubmittedItem(int index, String itemId, String name, ItemSource source, String archive, String entry,
		AssetLink asset) {

	/** Names are kept as {@link DisplayNames#clean} makes them. */
	public SubmittedItem {
		name = DisplayNames.clean(name);
		archive = DisplayNames.clean(archive);
		entry = DisplayNames.clean(entry);
	}

	/** An item of a batch upload, which is no asset. */
	public SubmittedItem(int index, String itemId, String name, ItemSource source, String archive, String entry) {
		this(index, itemId, name, source, archive, entry, null);
	}


	/** An item that did not come out of an archive. */
	public SubmittedItem(int index, String itemId, String name, ItemSource source) {
		this(index, itemId, name, source, null, null);
	}

}
