package dev.intake.worker.imaging;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.jpeg.JpegSegmentMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;

import dev.intake.contracts.ImageFormat;

/**
 * The EXIF orientation (1–8) of JPEG, TIFF and WebP files, and how to apply it. Read with
 * metadata-extractor, which stops at the JPEG scan data (of a JPEG only the EXIF segments are
 * parsed, none of the other metadata or tables); PNG text chunks are never read (they can inflate
 * to hundreds of megabytes). Unreadable metadata means "as stored" (1), never a failure.
 */
public final class Orientation {

	private static final List<JpegSegmentMetadataReader> JPEG_EXIF = List.of(new ExifReader());

	private Orientation() {
	}

	public static int read(Path file, ImageFormat format) {
		if (format != ImageFormat.JPEG && format != ImageFormat.TIFF && format != ImageFormat.WEBP) {
			return 1;
		}
		try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
			Metadata metadata = (format == ImageFormat.JPEG) ? JpegMetadataReader.readMetadata(in, JPEG_EXIF)
					: ImageMetadataReader.readMetadata(in, Files.size(file));
			for (ExifIFD0Directory ifd0 : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
				if (ifd0.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
					int value = ifd0.getInt(ExifIFD0Directory.TAG_ORIENTATION);
					return (value >= 1 && value <= 8) ? value : 1;
				}
			}
			return 1;
		}
		catch (Exception | StackOverflowError ex) {
			// metadata parsers fail on odd files in many ways; the pixels may still be fine
			return 1;
		}
	}

	/** Whether the orientation turns the image a quarter, so width and height swap on display. */
	public static boolean swapsSides(int orientation) {
		return orientation >= 5 && orientation <= 8;
	}

	/** The size as displayed. */
	public static Dimensions displayed(Dimensions stored, int orientation) {
		return swapsSides(orientation) ? new Dimensions(stored.height(), stored.width()) : stored;
	}

	/** Draws {@code image} as displayed, onto a white opaque RGB canvas of {@code width}x{@code height}. */
	public static BufferedImage draw(BufferedImage image, int orientation, int width, int height) {
		return draw(image, orientation, width, height, BufferedImage.TYPE_INT_RGB);
	}

	/**
	 * The same onto a canvas of {@code imageType}, an opaque RGB {@link BufferedImage} type (e.g.
	 * {@link BufferedImage#TYPE_3BYTE_BGR}, which the JPEG writer encodes without converting).
	 */
	public static BufferedImage draw(BufferedImage image, int orientation, int width, int height, int imageType) {
		BufferedImage out = new BufferedImage(width, height, imageType);
		Graphics2D g = out.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
			g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
			g.setColor(java.awt.Color.WHITE);
			g.fillRect(0, 0, width, height);
			// map the stored image onto the displayed canvas: orientation, then scale
			boolean swap = swapsSides(orientation);
			double sx = (double) (swap ? height : width) / image.getWidth();
			double sy = (double) (swap ? width : height) / image.getHeight();
			AffineTransform t = new AffineTransform();
			switch (orientation) {
				case 2 -> t.setTransform(-1, 0, 0, 1, width, 0);
				case 3 -> t.setTransform(-1, 0, 0, -1, width, height);
				case 4 -> t.setTransform(1, 0, 0, -1, 0, height);
				case 5 -> t.setTransform(0, 1, 1, 0, 0, 0);
				case 6 -> t.setTransform(0, 1, -1, 0, width, 0);
				case 7 -> t.setTransform(0, -1, -1, 0, width, height);
				case 8 -> t.setTransform(0, -1, 1, 0, 0, height);
				default -> t.setToIdentity();
			}
			t.scale(sx, sy);
			g.drawImage(image, t, null);
		}
		finally {
			g.dispose();
		}
		return out;
	}

}
