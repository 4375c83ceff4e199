package dev.intake.worker.imaging;

/** Width and height of an image in pixels, as its header states them. */
public record Dimensions(int width, int height) {

	/** The pixel count, in long arithmetic: two int sides can overflow an int. */
	public long pixels() {
		return (long) width * height;
	}

	@Override
	public String toString() {
		return width + "x" + height;
	}

}
