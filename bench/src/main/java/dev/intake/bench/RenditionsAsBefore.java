package dev.intake.bench;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import dev.intake.worker.imaging.Dimensions;
import dev.intake.worker.imaging.Orientation;
import dev.intake.worker.imaging.rendition.RenditionSpec;

/**
 * The worker's rendition steps for an upright JPEG as they were before the renditions were made
 * faster, kept as the "before" of {@link RenditionBenchmark}: one decode subsampled by the whole
 * factor of the longest edge to the largest rendition, per rendition halving while at least twice
 * the target, a bilinear draw onto an RGB canvas, and a JPEG writer looked up and set up for each
 * encode.
 */
final class RenditionsAsBefore {

	private final float quality;

	RenditionsAsBefore(float quality) {
		this.quality = quality;
	}

	List<byte[]> make(Path file, Dimensions size, List<RenditionSpec> specs) throws IOException {
		int largest = specs.stream().mapToInt(RenditionSpec::longEdge).max().getAsInt();
		int subsampling = Math.max(1, Math.max(size.width(), size.height()) / largest);
		BufferedImage decoded;
		try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
			ImageReader reader = ImageIO.getImageReaders(in).next();
			try {
				reader.setInput(in, true, true);
				ImageReadParam param = reader.getDefaultReadParam();
				param.setSourceSubsampling(subsampling, subsampling, 0, 0);
				decoded = reader.read(0, param);
			}
			finally {
				reader.dispose();
			}
		}
		List<byte[]> out = new ArrayList<>();
		for (RenditionSpec spec : specs) {
			Dimensions target = spec.sizeFor(size);
			BufferedImage source = halveTowards(decoded, target.width(), target.height());
			out.add(encode(Orientation.draw(source, 1, target.width(), target.height())));
		}
		return out;
	}

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

	private byte[] encode(BufferedImage image) throws IOException {
		ImageWriter writer = ImageIO.getImageWritersByMIMEType("image/jpeg").next();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
			writer.setOutput(out);
			ImageWriteParam param = writer.getDefaultWriteParam();
			param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
			param.setCompressionQuality(quality);
			writer.write(null, new IIOImage(image, null, null), param);
		}
		finally {
			writer.dispose();
		}
		return bytes.toByteArray();
	}

}
