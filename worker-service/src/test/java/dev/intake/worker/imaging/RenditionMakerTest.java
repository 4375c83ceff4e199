package dev.intake.worker.imaging;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import dev.intake.contracts.ImageFormat;
import dev.intake.worker.HostileImages;
import dev.intake.worker.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RenditionMakerTest {

	private static final List<RenditionSpec> SPECS = List.of(new RenditionSpec("thumb", 50),
			new RenditionSpec("preview", 150));

	@TempDir
	Path dir;

	private final RenditionMaker maker = new RenditionMaker(RenditionFormat.JPEG, 0.9f);

	@Test
	void appliesTheExifOrientationAndCarriesNoMetadataOver() throws Exception {
		// stored 400x200: left half red, right half blue; orientation 6 shows it turned clockwise
		Path file = write(HostileImages.jpegWithOrientation(halves(400, 200), 6));
		assertThat(Orientation.read(file, ImageFormat.JPEG)).isEqualTo(6);
		assertThat(Orientation.displayed(new Dimensions(400, 200), 6)).isEqualTo(new Dimensions(200, 400));

		List<RenditionMaker.Encoded> out = maker.make(file, ImageFormat.JPEG, new Dimensions(400, 200), 6, SPECS,
				c -> {
				});

		assertThat(out).extracting(e -> e.spec().name()).containsExactly("thumb", "preview");
		assertThat(out).extracting(RenditionMaker.Encoded::size)
			.containsExactly(new Dimensions(25, 50), new Dimensions(75, 150));
		for (RenditionMaker.Encoded encoded : out) {
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded.bytes()));
			assertThat(image.getWidth()).isEqualTo(encoded.size().width());
			assertThat(image.getHeight()).isEqualTo(encoded.size().height());
			// the stored left (red) half is the displayed top half
			assertThat(isReddish(image.getRGB(image.getWidth() / 2, image.getHeight() / 5))).isTrue();
			assertThat(isReddish(image.getRGB(image.getWidth() / 2, image.getHeight() * 4 / 5))).isFalse();
			String text = new String(encoded.bytes(), StandardCharsets.ISO_8859_1);
			assertThat(text).doesNotContain("Exif");
		}
	}

	@Test
	void everyOrientationGivesTheDisplayedSize() throws Exception {
		for (int orientation = 1; orientation <= 8; orientation++) {
			Path file = write(HostileImages.jpegWithOrientation(halves(120, 60), orientation));
			assertThat(Orientation.read(file, ImageFormat.JPEG)).isEqualTo(orientation);
			RenditionMaker.Encoded thumb = maker
				.make(file, ImageFormat.JPEG, new Dimensions(120, 60), orientation, SPECS.subList(0, 1), c -> {
				})
				.get(0);
			assertThat(thumb.size()).isEqualTo(orientation >= 5 ? new Dimensions(25, 50) : new Dimensions(50, 25));
		}
	}

	@Test
	void smallImagesAreNotScaledUpAndAlphaBecomesWhite() throws Exception {
		Path file = write(TestImages.png(40, 30));
		List<RenditionMaker.Encoded> out = maker.make(file, ImageFormat.PNG, new Dimensions(40, 30), 1, SPECS, c -> {
		});
		assertThat(out).extracting(RenditionMaker.Encoded::size)
			.containsExactly(new Dimensions(40, 30), new Dimensions(40, 30));
	}

	@Test
	void largeImagesAreDecodedSubsampled() throws Exception {
		Path file = write(TestImages.jpeg(3000, 1500));
		List<RenditionMaker.Encoded> out = maker.make(file, ImageFormat.JPEG, new Dimensions(3000, 1500), 1, SPECS,
				c -> {
				});
		assertThat(out).extracting(RenditionMaker.Encoded::size)
			.containsExactly(new Dimensions(50, 25), new Dimensions(150, 75));
	}

	@Test
	void aTruncatedJpegIsCorruptNotHalfGrey() throws Exception {
		byte[] jpeg = TestImages.jpeg(300, 300);
		Path file = write(Arrays.copyOf(jpeg, jpeg.length * 2 / 3));
		assertThatExceptionOfType(UnreadableImageException.class)
			.isThrownBy(() -> maker.make(file, ImageFormat.JPEG, new Dimensions(300, 300), 1, SPECS, c -> {
			}));
	}

	@Test
	void svgAndAnEmptyListGiveNoRenditions() throws Exception {
		Path svg = write(TestImages.svg("width=\"10\" height=\"10\""));
		assertThat(maker.make(svg, ImageFormat.SVG, new Dimensions(10, 10), 1, SPECS, c -> {
		})).isEmpty();
		Path png = write(TestImages.png(10, 10));
		assertThat(maker.make(png, ImageFormat.PNG, new Dimensions(10, 10), 1, List.of(), c -> {
		})).isEmpty();
	}

	private static boolean isReddish(int rgb) {
		Color c = new Color(rgb);
		return c.getRed() > 150 && c.getBlue() < 100;
	}

	private static BufferedImage halves(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setColor(Color.RED);
		g.fillRect(0, 0, width / 2, height);
		g.setColor(Color.BLUE);
		g.fillRect(width / 2, 0, width - width / 2, height);
		g.dispose();
		return image;
	}

	private Path write(byte[] bytes) throws Exception {
		return Files.write(Files.createTempFile(dir, "img-", ".bin"), bytes);
	}

}
