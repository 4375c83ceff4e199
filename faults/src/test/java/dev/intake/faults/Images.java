package dev.intake.faults;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * Small real images that are all different: image {@code n} of a series has pixels derived
 * from {@code n} and the series' seed, so every image of a scenario has its own sha256.
 */
final class Images {

	/** A file as a client uploads it. */
	record Named(String name, byte[] bytes) {
	}

	private Images() {
	}

	/** {@code count} distinct 64×64 PNGs named {@code <prefix>-<n>.png}. */
	static List<Named> series(String prefix, int count) {
		int seed = prefix.hashCode();
		List<Named> images = new ArrayList<>(count);
		for (int n = 0; n < count; n++) {
			images.add(new Named(prefix + "-" + n + ".png", png(seed, n)));
		}
		return images;
	}

	static byte[] png(int seed, int n) {
		BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < 64; y++) {
			for (int x = 0; x < 64; x++) {
				image.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | ((x + y) & 0xFF));
			}
		}
		// the first row carries the identity: seed and number, so no two images are equal
		image.setRGB(0, 0, seed & 0xFFFFFF);
		image.setRGB(1, 0, seed >>> 24);
		image.setRGB(2, 0, n & 0xFFFFFF);
		image.setRGB(3, 0, n >>> 24);
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ImageIO.write(image, "png", out);
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
