package dev.intake.worker.imaging;

import java.util.regex.Pattern;

/** A configured rendition: its name and the longest edge it is scaled down to (never up). */
public record RenditionSpec(String name, int longEdge) {

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

	public RenditionSpec {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("rendition names are 1-32 of a-z, 0-9 and '-': " + name);
		}
		if (longEdge < 16 || longEdge > 4096) {
			throw new IllegalArgumentException("rendition size must be 16-4096 px: " + longEdge);
		}
	}

	/** Parses {@code name:size}, e.g. {@code thumb:256}. */
	public static RenditionSpec parse(String text) {
		int colon = text.indexOf(':');
		if (colon < 0) {
			throw new IllegalArgumentException("a rendition is name:size, e.g. thumb:256, not " + text);
		}
		return new RenditionSpec(text.substring(0, colon).trim(), Integer.parseInt(text.substring(colon + 1).trim()));
	}

	/** The size of this rendition of an image displayed at {@code displayed}. */
	public Dimensions sizeFor(Dimensions displayed) {
		int longest = Math.max(displayed.width(), displayed.height());
		if (longest <= longEdge) {
			return displayed;
		}
		double scale = (double) longEdge / longest;
		return new Dimensions(Math.max(1, (int) Math.round(displayed.width() * scale)),
				Math.max(1, (int) Math.round(displayed.height() * scale)));
	}

}
