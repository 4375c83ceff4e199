package dev.intake.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The benchmark's inputs, made in code from fixed seeds: noisy JPEGs (noise keeps them near the
 * wanted size). {@link #variant} gives each repetition different bytes of the same image (a JPEG
 * comment after SOI), so no run is answered by de-duplication of an earlier one.
 */
final class BenchImages {

	private BenchImages() {
	}

	/** {@code count} distinct JPEGs of about {@code targetBytes} each, from seed {@code seed}. */
	static List<byte[]> jpegs(int count, int targetBytes, long seed) {
		// noise at quality 0.85 costs ~1.2 bytes per pixel; one probe fixes the ratio for this JDK
		byte[] probe = noisyJpeg(256, 256, new SplittableRandom(seed));
		double bytesPerPixel = probe.length / (256.0 * 256.0);
		int pixels = (int) (targetBytes / bytesPerPixel);
		int width = (int) Math.sqrt(pixels * 4.0 / 3.0);
		int height = pixels / width;
		// the ratio grows with the size: shrink until the largest image is within the target
		for (int attempt = 0;; attempt++) {
			List<byte[]> images = new ArrayList<>(count);
			SplittableRandom random = new SplittableRandom(seed);
			int largest = 0;
			for (int i = 0; i < count; i++) {
				images.add(noisyJpeg(width, height, random.split()));
				largest = Math.max(largest, images.get(i).length);
			}
			if (largest <= targetBytes * 1.05 || attempt == 4) {
				return images;
			}
			double scale = Math.sqrt(targetBytes / (double) largest);
			width = (int) (width * scale);
			height = (int) (height * scale);
		}
	}

	/** {@code jpeg} with a comment naming {@code variant}: the same picture, different bytes. */
	static byte[] variant(byte[] jpeg, String variant) {
		byte[] text = ("intake-bench " + variant).getBytes(StandardCharsets.US_ASCII);
		int length = text.length + 2;
		byte[] out = new byte[jpeg.length + 2 + length];
		out[0] = jpeg[0];
		out[1] = jpeg[1];
		out[2] = (byte) 0xFF;
		out[3] = (byte) 0xFE;
		out[4] = (byte) (length >> 8);
		out[5] = (byte) length;
		System.arraycopy(text, 0, out, 6, text.length);
		System.arraycopy(jpeg, 2, out, 6 + text.length, jpeg.length - 2);
		return out;
	}

	static List<byte[]> variants(List<byte[]> images, String variant) {
		return images.stream().map(image -> variant(image, variant)).toList();
	}

	private static byte[] noisyJpeg(int width, int height, SplittableRandom random) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		int base = random.nextInt(0xFFFFFF);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				int noise = random.nextInt(0x1000000) & 0x3F3F3F;
				image.setRGB(x, y, (base + (x << 8) + y + noise) & 0xFFFFFF);
			}
		}
		ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
		try (ByteArrayOutputStream out = new ByteArrayOutputStream();
				MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
			ImageWriteParam param = writer.getDefaultWriteParam();
			param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
			param.setCompressionQuality(0.85f);
			writer.setOutput(stream);
			writer.write(null, new IIOImage(image, null, null), param);
			stream.flush();
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			writer.dispose();
		}
	}

}
