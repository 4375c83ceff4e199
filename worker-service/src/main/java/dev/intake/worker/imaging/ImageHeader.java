package dev.intake.worker.imaging;

/**
 * What an image's header (and its cheap structure walk) says, before any pixel is decoded.
 *
 * @param size width and height as the image states them (GIF: the logical screen; ICO: the
 * largest embedded image)
 * @param extent the largest area a decoder may allocate, which the pixel limits apply to (GIF:
 * the logical screen grown to hold every frame; ICO: the widest and tallest embedded images)
 * @param frames frames or pages counted, stopping one past the frame cap
 */
public record ImageHeader(Dimensions size, Dimensions extent, int frames) {

	public static ImageHeader still(Dimensions size) {
		return new ImageHeader(size, size, 1);
	}

}
