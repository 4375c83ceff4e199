package dev.intake.worker.imaging;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

import dev.intake.contracts.ImageFormat;

/**
 * Reads an image's width and height from its header, without decoding pixels: ImageIO readers
 * (the JDK's plus TwelveMonkeys for WEBP, ICO, TIFF and JPEG) for raster formats, a StAX read of
 * the root element for SVG. Thread-safe; each call uses its own reader.
 */
public final class DimensionReader {

	public DimensionReader() {
		// plugins packed in a nested (Boot) jar may be missed by the registry's first scan
		ImageIO.scanForPlugins();
	}

	/**
	 * The size of the image in {@code file}, whose format has already been sniffed.
	 * @throws UnreadableImageException if the header cannot be read or states a non-positive size
	 */
	public Dimensions read(Path file, ImageFormat format) throws UnreadableImageException {
		Dimensions size = (format == ImageFormat.SVG) ? SvgDimensions.read(file) : readRaster(file, format);
		if (size.width() <= 0 || size.height() <= 0) {
			throw new UnreadableImageException("non-positive size " + size);
		}
		return size;
	}

	private static Dimensions readRaster(Path file, ImageFormat format) throws UnreadableImageException {
		if (!ImageIO.getImageReadersByFormatName(readerName(format)).hasNext()) {
			// a broken deployment, not a broken image
			throw new IllegalStateException("no ImageIO reader installed for " + format);
		}
		try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
			ImageReader reader = readerFor(in, format);
			try {
				reader.setInput(in, true, true);
				return new Dimensions(reader.getWidth(0), reader.getHeight(0));
			}
			finally {
				reader.dispose();
			}
		}
		catch (IOException | RuntimeException ex) {
			// decoders signal malformed input with all sorts of runtime exceptions
			throw new UnreadableImageException("cannot read the " + format + " header: " + ex, ex);
		}
	}

	private static ImageReader readerFor(ImageInputStream in, ImageFormat format)
			throws IOException, UnreadableImageException {
		Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(readerName(format));
		while (readers.hasNext()) {
			ImageReader reader = readers.next();
			if (reader.getOriginatingProvider().canDecodeInput(in)) {
				return reader;
			}
		}
		throw new UnreadableImageException("no " + format + " reader accepts the header");
	}

	private static String readerName(ImageFormat format) {
		return switch (format) {
			case JPEG -> "jpeg";
			case PNG -> "png";
			case GIF -> "gif";
			case BMP -> "bmp";
			case WEBP -> "webp";
			case ICO -> "ico";
			case TIFF -> "tiff";
			case SVG -> throw new IllegalArgumentException("SVG is not read by ImageIO");
		};
	}

}
