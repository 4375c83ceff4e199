package dev.intake.worker.imaging;

/**
 * The largest image a worker accepts, judged from the header before any pixel is decoded: a
 * total pixel count and a longest side.
 */
public record PixelLimit(long maxPixels, int maxSide) {

	public PixelLimit {
		if (maxPixels < 1 || maxSide < 1) {
			throw new IllegalArgumentException("pixel limits must be positive");
		}
	}

	public boolean allows(Dimensions size) {
		return !sideTooLong(size) && size.pixels() <= maxPixels;
	}

	public boolean sideTooLong(Dimensions size) {
		return size.width() > maxSide || size.height() > maxSide;
	}

}
