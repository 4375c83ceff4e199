package dev.intake.local;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

import javax.imageio.ImageIO;

/** Real images, made in memory: {@code TestImages.png(64, 48)}. Each call draws different pixels. */
final class TestImages {

	private static final Random random = new Random();

	private TestImages() {
	}

	static byte[] jpeg(int width, int height) {
		return encode(draw(width, height, BufferedImage.TYPE_INT_RGB), "jpeg");
	}

	static byte[] png(int width, int height) {
		return encode(draw(width, height, BufferedImage.TYPE_INT_ARGB), "png");
	}

	static byte[] gif(int width, int height) {
		return encode(draw(width, height, BufferedImage.TYPE_INT_RGB), "gif");
	}

	private static BufferedImage draw(int width, int height, int type) {
		BufferedImage image = new BufferedImage(width, height, type);
		Graphics2D g = image.createGraphics();
		for (int i = 0; i < 12; i++) {
			g.setColor(new Color(random.nextInt(0xFFFFFF)));
			g.fillRect(random.nextInt(width), random.nextInt(height), 1 + random.nextInt(width), 1 + random.nextInt(height));
		}
		g.dispose();
		return image;
	}

	private static byte[] encode(BufferedImage image, String format) {
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			if (!ImageIO.write(image, format, out)) {
				throw new IllegalStateException("no writer for " + format);
			}
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
