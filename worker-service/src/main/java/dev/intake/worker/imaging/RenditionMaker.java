package dev.intake.worker.imaging;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import dev.intake.contracts.ImageFormat;

/**
 * Makes JPEG renditions of a raster image that already passed the header limits: one decode
 * (first frame, subsampled so the decoded raster is about the size of the largest rendition),
 * orientation applied, alpha flattened onto white, progressive halving then a bilinear draw per
 * rendition. Output carries no metadata (no EXIF, no GPS). For JPEG input every decoder
 * warning (truncated file, corrupt data) fails the image. Run it on the {@link DecodePool}.
 */
public final class RenditionMaker {

	/** One encoded rendition. */
	public record Encoded(RenditionSpec spec, Dimensions size, byte[] jpeg) {
	}

	private final float quality;

	public RenditionMaker(float quality) {
		if (!(quality > 0 && quality <= 1)) {
			throw new IllegalArgumentException("JPEG quality must be in (0, 1]");
		}
		this.quality = quality;
	}

	/**
	 * @param stored the size the header states (before orientation)
	 * @throws UnreadableImageException when the pixels cannot be decoded
	 */
	public List<Encoded> make(Path file, ImageFormat format, Dimensions stored, int orientation,
			List<RenditionSpec> specs, Consumer<Closeable> watch) throws UnreadableImageException {
		if (specs.isEmpty() || format == ImageFormat.SVG) {
			return List.of();
		}
		int largest = specs.stream().mapToInt(RenditionSpec::longEdge).max().getAsInt();
		BufferedImage decoded = decode(file, format, stored, largest, watch);
		Dimensions displayed = Orientation.displayed(stored, orientation);
		List<Encoded> out = new ArrayList<>();
		List<RenditionSpec> bySize = specs.stream().sorted(Comparator.comparingInt(RenditionSpec::longEdge).reversed())
			.toList();
		for (RenditionSpec spec : bySize) {
			Dimensions size = spec.sizeFor(displayed);
			BufferedImage source = halveTowards(decoded, Orientation.swapsSides(orientation) ? size.height() : size.width(),
					Orientation.swapsSides(orientation) ? size.width() : size.height());
			BufferedImage drawn = Orientation.draw(source, orientation, size.width(), size.height());
			out.add(new Encoded(spec, size, encode(drawn)));
		}
		// back in the configured order
		out.sort(Comparator.comparingInt(e -> specs.indexOf(e.spec())));
		return out;
	}

	private static BufferedImage decode(Path file, ImageFormat format, Dimensions stored, int largest,
			Consumer<Closeable> watch) throws UnreadableImageException {
		int subsampling = Math.max(1, Math.max(stored.width(), stored.height()) / largest);
		List<String> warnings = new ArrayList<>();
		try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
			watch.accept(in);
			Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
			if (!readers.hasNext()) {
				throw new UnreadableImageException("no reader for the " + format + " pixels");
			}
			ImageReader reader = readers.next();
			try {
				reader.setInput(in, true, true);
				if (format == ImageFormat.JPEG) {
					reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
				}
				ImageReadParam param = reader.getDefaultReadParam();
				param.setSourceSubsampling(subsampling, subsampling, 0, 0);
				BufferedImage image = reader.read(0, param);
				if (!warnings.isEmpty()) {
					throw new UnreadableImageException("JPEG decoder warning: " + warnings.get(0));
				}
				return image;
			}
			finally {
				reader.dispose();
			}
		}
		catch (IOException | RuntimeException ex) {
			throw new UnreadableImageException("cannot decode the " + format + " pixels: " + ex, ex);
		}
	}

	/** Halves the image while it is at least twice the target, so the last draw samples well. */
	private static BufferedImage halveTowards(BufferedImage image, int targetWidth, int targetHeight) {
		BufferedImage current = image;
		while (current.getWidth() >= 2 * targetWidth && current.getHeight() >= 2 * targetHeight) {
			int w = Math.max(1, current.getWidth() / 2);
			int h = Math.max(1, current.getHeight() / 2);
			BufferedImage half = new BufferedImage(w, h,
					current.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
			Graphics2D g = half.createGraphics();
			g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
			g.drawImage(current, 0, 0, w, h, null);
			g.dispose();
			current = half;
		}
		return current;
	}

	private byte[] encode(BufferedImage image) throws UnreadableImageException {
		ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
			writer.setOutput(out);
			ImageWriteParam param = writer.getDefaultWriteParam();
			param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
			param.setCompressionQuality(quality);
			// no metadata: nothing of the original's EXIF (GPS included) is carried over
			writer.write(null, new IIOImage(image, null, null), param);
		}
		catch (IOException ex) {
			throw new IllegalStateException("JPEG encoding to memory failed", ex);
		}
		finally {
			writer.dispose();
		}
		return bytes.toByteArray();
	}

}
