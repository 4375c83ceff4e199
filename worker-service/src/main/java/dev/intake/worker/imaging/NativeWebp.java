package dev.intake.worker.imaging;

import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.function.Consumer;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

import com.luciad.imageio.webp.WebPReadParam;

/**
 * Decodes a still WebP image with the bundled libwebp (the reader that comes with the WebP
 * rendition encoder), scaled inside the decoder straight to the size asked for, so the Java heap
 * holds only that. The pure-Java decoder always allocates the whole image (about 46 bytes per
 * pixel at its peak); it is kept as the fallback for what libwebp's reader refuses (animation).
 * Only runs after the header passed the pixel limits.
 */
public final class NativeWebp {

	static final String PACKAGE = "com.luciad.imageio.webp.";

	private NativeWebp() {
	}

	/** The image of {@code size} decoded at about {@code size / subsampling}. */
	public static BufferedImage decode(Path file, Dimensions size, int subsampling, Consumer<Closeable> watch)
			throws UnreadableImageException {
		try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
			watch.accept(in);
			ImageReader reader = reader();
			try {
				reader.setInput(in, true, true);
				WebPReadParam param = (WebPReadParam) reader.getDefaultReadParam();
				if (subsampling > 1) {
					param.setUseScaling(true);
					param.setScaledWidth(Math.max(1, size.width() / subsampling));
					param.setScaledHeight(Math.max(1, size.height() / subsampling));
				}
				BufferedImage image = reader.read(0, param);
				DecodePool.checkCancelled();
				return image;
			}
			finally {
				reader.dispose();
			}
		}
		catch (IOException | RuntimeException | LinkageError ex) {
			throw new UnreadableImageException("libwebp cannot decode the WEBP pixels: " + ex, ex);
		}
	}

	private static ImageReader reader() throws UnreadableImageException {
		Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("webp");
		while (readers.hasNext()) {
			ImageReader reader = readers.next();
			if (reader.getClass().getName().startsWith(PACKAGE)) {
				return reader;
			}
		}
		throw new UnreadableImageException("no libwebp reader installed");
	}

}
