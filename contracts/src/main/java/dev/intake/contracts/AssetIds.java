package dev.intake.contracts;

/**
 * Asset ids are the offsets of records in {@link Topics#ASSET_IDS}, a topic of one partition:
 * unique and increasing across every api-service instance without any other coordination, stable
 * because offsets are never reused, and far below 2^53 so JavaScript clients read them exactly.
 * Offset 0 is id 1; an aborted allocation leaves a gap, never a duplicate.
 */
public final class AssetIds {

	/** Largest id JavaScript numbers hold exactly. */
	public static final long MAX = (1L << 53) - 1;

	private AssetIds() {
	}

	public static long fromOffset(long offset) {
		if (offset < 0 || offset >= MAX) {
			throw new IllegalArgumentException("offset out of range: " + offset);
		}
		return offset + 1;
	}

}
