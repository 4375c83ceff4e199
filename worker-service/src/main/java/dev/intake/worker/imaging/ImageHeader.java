package dev.intake.worker.imaging;

/**
 * What an image's header (and its cheap structure walk) says, before any pixel is decoded.
 *
 * @param size width and height as the image states them (GIF: the logical screen; ICO: the
 * largest embedded image)
 * @param extent the largest area a decoder may allocate, which the pixel limits apply to (GIF:
 * the logical screen grown to hold every frame; ICO: the widest and tallest embedded images)
 * @param frames frames or pages counted, stopping one past the frame cap
 * @param image the index of the image renditions are made from (ICO: the largest entry; else 0)
 * @param placement where that image sits on the {@code size} canvas (GIF: the first frame's
 * rectangle, which may be offset, smaller or larger; else the whole canvas)
 */
public record ImageHeader(Dimensions size, Dimensions extent, int frames, int image, Region placement) {

	/** A rectangle in the pixels of the canvas. */
	public record Region(int x, int y, int width, int height) {

		public boolean covers(Dimensions canvas) {
			return x == 0 && y == 0 && width == canvas.width() && height == canvas.height();
		}

	}

	/** A header whose first image fills its canvas. */
	public ImageHeader(Dimensions size, Dimensions extent, int frames) {
		this(size, extent, frames, 0, new Region(0, 0, size.width(), size.height()));
	}

	public static ImageHeader still(Dimensions size) {
		return new ImageHeader(size, size, 1);
	}

}
