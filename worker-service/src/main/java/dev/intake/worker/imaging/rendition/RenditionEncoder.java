package dev.intake.worker.imaging.rendition;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes an opaque RGB rendition as JPEG (the JDK's writer) or WebP (the bundled-native libwebp
 * writer of {@code com.github.usefulness:webp-imageio}, lossy), at the configured quality and with
 * no metadata at all, so nothing of the original's EXIF (GPS included) is carried over. The
 * constructor encodes one pixel, so a codec that cannot load on this platform stops start-up.
 */
final class RenditionEncoder {

	private final RenditionFormat format;

	private final float quality;

	RenditionEncoder(RenditionFormat format, float quality) {
		if (!(quality > 0 && quality <= 1)) {
			throw new IllegalArgumentException("rendition quality must be in (0, 1]");
		}
		this.format = format;
		this.quality = quality;
		try {
			encode(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
		}
		catch (RuntimeException | LinkageError ex) {
			throw new IllegalStateException("the " + format + " rendition encoder does not work here: " + ex, ex);
		}
	}

	RenditionFormat format() {
		return format;
	}

	byte[] encode(BufferedImage image) {
		ImageWriter writer = writer();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
			writer.setOutput(out);
			ImageWriteParam param = writer.getDefaultWriteParam();
			param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
			if (format == RenditionFormat.WEBP) {
				param.setCompressionType(lossy(param));
			}
			param.setCompressionQuality(quality);
			writer.write(null, new IIOImage(image, null, null), param);
		}
		catch (IOException ex) {
			throw new IllegalStateException(format + " encoding to memory failed", ex);
		}
		finally {
			writer.dispose();
		}
		return bytes.toByteArray();
	}

	private ImageWriter writer() {
		Iterator<ImageWriter> writers = ImageIO.getImageWritersByMIMEType(format.contentType());
		if (!writers.hasNext()) {
			throw new IllegalStateException("no ImageIO writer installed for " + format.contentType());
		}
		return writers.next();
	}

	private static String lossy(ImageWriteParam param) {
		for (String type : param.getCompressionTypes()) {
			if (type.equalsIgnoreCase("lossy")) {
				return type;
			}
		}
		throw new IllegalStateException("the WebP writer offers no lossy compression");
	}

}
