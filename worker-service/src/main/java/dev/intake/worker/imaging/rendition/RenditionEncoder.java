package dev.intake.worker.imaging.rendition;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

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
 * Writers are kept for reuse, at most {@value #IDLE_WRITERS} idle; one that failed is disposed.
 * JPEG encodes fastest from {@link #imageType()} images (the JDK's writer takes their bytes as
 * they are).
 */
final class RenditionEncoder {

	private static final int IDLE_WRITERS = 8;

	private final RenditionFormat format;

	private final Queue<ImageWriter> idle = new ConcurrentLinkedQueue<>();

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

	/** The {@link BufferedImage} type an opaque rendition is best drawn in for this format. */
	int imageType() {
		return (format == RenditionFormat.JPEG) ? BufferedImage.TYPE_3BYTE_BGR : BufferedImage.TYPE_INT_RGB;
	}

	byte[] encode(BufferedImage image) {
		ImageWriter writer = idle.poll();
		if (writer == null) {
			writer = writer();
		}
		boolean reusable = false;
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
			reusable = true;
		}
		catch (IOException ex) {
			throw new IllegalStateException(format + " encoding to memory failed", ex);
		}
		finally {
			giveBack(writer, reusable);
		}
		return bytes.toByteArray();
	}

	private void giveBack(ImageWriter writer, boolean reusable) {
		if (reusable && idle.size() < IDLE_WRITERS) {
			writer.reset();
			idle.offer(writer);
		}
		else {
			writer.dispose();
		}
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
