package dev.intake.worker.imaging.rendition;

import java.util.regex.Pattern;

import dev.intake.worker.imaging.Dimensions;

/**
 * A configured rendition: its name, the longest edge it is scaled down to (never up), and the
 * format it is encoded in, or null for the worker's {@code rendition-format}.
 */
public record RenditionSpec(String name, int longEdge, RenditionFormat format) {

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

	public RenditionSpec {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("rendition names are 1-32 of a-z, 0-9, '_' and '-': " + name);
		}
		if (longEdge < 16 || longEdge > 4096) {
			throw new IllegalArgumentException("rendition size must be 16-4096 px: " + longEdge);
		}
	}

	/** A rendition in the worker's configured format. */
	public RenditionSpec(String name, int longEdge) {
		this(name, longEdge, null);
	}

	/** Parses {@code name:size} or {@code name:size:format}, e.g. {@code thumb:256}, {@code ebay:1600:jpeg}. */
	public static RenditionSpec parse(String text) {
		String[] parts = text.split(":", -1);
		if (parts.length < 2 || parts.length > 3) {
			throw new IllegalArgumentException("a rendition is name:size or name:size:format, e.g. thumb:256, not "
					+ text);
		}
		int size;
		try {
			size = Integer.parseInt(parts[1].trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("a rendition size is a number of pixels, not " + text, ex);
		}
		return new RenditionSpec(parts[0].trim(), size, (parts.length == 3) ? RenditionFormat.parse(parts[2]) : null);
	}

	/** The format of this rendition: its own, else {@code configured}. */
	public RenditionFormat formatOr(RenditionFormat configured) {
		return (format != null) ? format : configured;
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
