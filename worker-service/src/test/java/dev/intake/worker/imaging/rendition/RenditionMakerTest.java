package dev.intake.worker.imaging.rendition;

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
import dev.intake.testsupport.HostileImages;
import dev.intake.testsupport.TestImages;
import dev.intake.worker.imaging.DimensionReader;
import dev.intake.worker.imaging.Dimensions;
import dev.intake.worker.imaging.FormatSniffer;
import dev.intake.worker.imaging.ImageHeader;
import dev.intake.worker.imaging.Orientation;
import dev.intake.worker.imaging.UnreadableImageException;
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
	void renditionsStayCloseToAnAreaAveragedReferenceAndHaveTheExactSizeAndFormat() throws Exception {
		// a photo-like picture, large enough to be decoded subsampled and halved twice for the thumb
		BufferedImage original = photoLike(2400, 1800);
		Path file = write(encode("png", original));
		// decoded at a third (800×600: the preview as it is), the thumb from one halving of that
		List<RenditionSpec> specs = List.of(new RenditionSpec("thumb", 200), new RenditionSpec("preview", 800));
		List<RenditionMaker.Encoded> out = maker.make(file, ImageFormat.PNG, new Dimensions(2400, 1800), 1, specs,
				c -> {
				});
		assertThat(out).extracting(RenditionMaker.Encoded::size)
			.containsExactly(new Dimensions(200, 150), new Dimensions(800, 600));
		for (RenditionMaker.Encoded encoded : out) {
			assertThat(FormatSniffer.sniff(encoded.bytes())).contains(ImageFormat.JPEG);
			BufferedImage rendition = ImageIO.read(new ByteArrayInputStream(encoded.bytes()));
			assertThat(rendition.getWidth()).isEqualTo(encoded.size().width());
			assertThat(rendition.getHeight()).isEqualTo(encoded.size().height());
			BufferedImage reference = areaAveraged(original, encoded.size());
			// JPEG at quality 0.9 and a bilinear last step against a box filter: a few levels of 255
			assertThat(meanAbsoluteDifference(rendition, reference)).isLessThan(4.0);
		}
	}

	@Test
	void aJpegAlreadyAtItsRenditionSizeIsReencodedFaithfully() throws Exception {
		BufferedImage original = photoLike(600, 400);
		Path file = write(encodeJpeg(original));
		BufferedImage decoded = ImageIO.read(file.toFile());
		RenditionMaker.Encoded preview = maker
			.make(file, ImageFormat.JPEG, new Dimensions(600, 400), 1, List.of(new RenditionSpec("preview", 1024)), c -> {
			})
			.get(0);
		BufferedImage rendition = ImageIO.read(new ByteArrayInputStream(preview.bytes()));
		assertThat(preview.size()).isEqualTo(new Dimensions(600, 400));
		assertThat(rendition.getWidth()).isEqualTo(600);
		assertThat(meanAbsoluteDifference(rendition, decoded)).isLessThan(2.0);
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

	@Test
	void aGifFrameLargerThanItsScreenIsClippedToTheScreen() throws Exception {
		// a 400x300 frame (left half red, right half blue) on a 40x30 logical screen: only its red corner shows
		byte[] gif = encode("gif", halves(400, 300));
		java.nio.ByteBuffer.wrap(gif).order(java.nio.ByteOrder.LITTLE_ENDIAN).putShort(6, (short) 40).putShort(8, (short) 30);
		Path file = write(gif);
		ImageHeader header = new DimensionReader().header(file, ImageFormat.GIF, 10, c -> {
		});
		assertThat(header.size()).isEqualTo(new Dimensions(40, 30));
		assertThat(header.extent()).isEqualTo(new Dimensions(400, 300));

		List<RenditionMaker.Encoded> out = maker.make(file, ImageFormat.GIF, header, 1, SPECS, c -> {
		});

		assertThat(out).extracting(RenditionMaker.Encoded::size)
			.containsExactly(new Dimensions(40, 30), new Dimensions(40, 30));
		BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(out.get(0).bytes()));
		assertThat(thumb.getWidth()).isEqualTo(40);
		assertThat(isReddish(thumb.getRGB(35, 15))).isTrue();
	}

	@Test
	void aGifFrameBiggerThanTheRenditionsIsDecodedSubsampled() throws Exception {
		// a 3000x2000 frame on a 3000x2000 screen, placed at an offset would need the canvas; here it fills it
		Path file = write(encode("gif", halves(3000, 2000)));
		ImageHeader header = new DimensionReader().header(file, ImageFormat.GIF, 10, c -> {
		});
		List<RenditionMaker.Encoded> out = maker.make(file, ImageFormat.GIF, header, 1, SPECS, c -> {
		});
		assertThat(out).extracting(RenditionMaker.Encoded::size)
			.containsExactly(new Dimensions(50, 33), new Dimensions(150, 100));
	}

	@Test
	void anIconIsScaledFromItsLargestEntry() throws Exception {
		// the first entry is a small blue square, the second a larger red one
		Path file = write(icon(solid(16, 16, Color.BLUE), solid(64, 48, Color.RED)));
		ImageHeader header = new DimensionReader().header(file, ImageFormat.ICO, 10, c -> {
		});
		assertThat(header.size()).isEqualTo(new Dimensions(64, 48));
		assertThat(header.image()).isEqualTo(1);

		List<RenditionMaker.Encoded> out = maker.make(file, ImageFormat.ICO, header, 1, SPECS, c -> {
		});

		assertThat(out).extracting(RenditionMaker.Encoded::size)
			.containsExactly(new Dimensions(50, 38), new Dimensions(64, 48));
		for (RenditionMaker.Encoded encoded : out) {
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded.bytes()));
			assertThat(isReddish(image.getRGB(image.getWidth() / 2, image.getHeight() / 2))).isTrue();
		}
	}

	@Test
	void aRenditionMayNameItsOwnFormatAndEqualRenditionsAreEncodedOnce() throws Exception {
		RenditionMaker webp = new RenditionMaker(RenditionFormat.WEBP, 0.8f,
				RenditionMaker.DEFAULT_MAX_WEBP_FALLBACK_PIXELS, List.of(RenditionFormat.JPEG));
		Path file = write(TestImages.jpeg(300, 200));
		List<RenditionSpec> specs = List.of(new RenditionSpec("ipad", 150), new RenditionSpec("image", 150),
				new RenditionSpec("ebay", 150, RenditionFormat.JPEG));

		List<RenditionMaker.Encoded> out = webp.make(file, ImageFormat.JPEG, new Dimensions(300, 200), 1, specs, c -> {
		});

		assertThat(out).extracting(e -> e.spec().name(), RenditionMaker.Encoded::format)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("ipad", RenditionFormat.WEBP),
					org.assertj.core.groups.Tuple.tuple("image", RenditionFormat.WEBP),
					org.assertj.core.groups.Tuple.tuple("ebay", RenditionFormat.JPEG));
		assertThat(out.get(1).bytes()).isSameAs(out.get(0).bytes());
		assertThat(FormatSniffer.sniff(out.get(0).bytes())).contains(ImageFormat.WEBP);
		assertThat(FormatSniffer.sniff(out.get(2).bytes())).contains(ImageFormat.JPEG);
		assertThat(out).allSatisfy(e -> assertThat(e.size()).isEqualTo(new Dimensions(150, 100)));
	}

	@Test
	void renditionSpecsParseWithAnOptionalFormat() {
		assertThat(RenditionSpec.parse("thumb_retina:300")).isEqualTo(new RenditionSpec("thumb_retina", 300));
		assertThat(RenditionSpec.parse(" ebay : 1600 : JPEG ")).isEqualTo(new RenditionSpec("ebay", 1600, RenditionFormat.JPEG));
		assertThat(RenditionSpec.parse("x:64:webp").formatOr(RenditionFormat.JPEG)).isEqualTo(RenditionFormat.WEBP);
		assertThat(RenditionSpec.parse("x:64").formatOr(RenditionFormat.JPEG)).isEqualTo(RenditionFormat.JPEG);
		for (String bad : List.of("thumb", "thumb:big", "thumb:8", "thumb:5000", "thumb:64:png", "a:1:2:3", "Thumb:64",
				"_x:64", "a/b:64")) {
			assertThatExceptionOfType(IllegalArgumentException.class).as(bad).isThrownBy(() -> RenditionSpec.parse(bad));
		}
	}

	@Test
	void webpRenditionsAreRealWebpWithTheOrientationApplied() throws Exception {
		RenditionMaker webp = new RenditionMaker(RenditionFormat.WEBP, 0.8f);
		Path file = write(HostileImages.jpegWithOrientation(halves(400, 200), 6));

		List<RenditionMaker.Encoded> out = webp.make(file, ImageFormat.JPEG, new Dimensions(400, 200), 6, SPECS, c -> {
		});

		assertThat(out).extracting(RenditionMaker.Encoded::size)
			.containsExactly(new Dimensions(25, 50), new Dimensions(75, 150));
		for (RenditionMaker.Encoded encoded : out) {
			assertThat(encoded.format()).isEqualTo(RenditionFormat.WEBP);
			assertThat(new String(encoded.bytes(), 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("RIFF");
			assertThat(new String(encoded.bytes(), 8, 4, StandardCharsets.ISO_8859_1)).isEqualTo("WEBP");
			assertThat(new String(encoded.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("Exif");
			// it decodes again, at the size stated
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded.bytes()));
			assertThat(image.getWidth()).isEqualTo(encoded.size().width());
			assertThat(image.getHeight()).isEqualTo(encoded.size().height());
			assertThat(isReddish(image.getRGB(image.getWidth() / 2, image.getHeight() / 5))).isTrue();
			assertThat(isReddish(image.getRGB(image.getWidth() / 2, image.getHeight() * 4 / 5))).isFalse();
		}
	}

	@Test
	void aLargeWebpIsDecodedScaledByLibwebp() throws Exception {
		Path file = write(encode("webp", halves(3000, 2000)));
		List<RenditionMaker.Encoded> out = maker.make(file, ImageFormat.WEBP, new Dimensions(3000, 2000), 1, SPECS,
				c -> {
				});
		assertThat(out).extracting(RenditionMaker.Encoded::size)
			.containsExactly(new Dimensions(50, 33), new Dimensions(150, 100));
		BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(out.get(0).bytes()));
		assertThat(isReddish(thumb.getRGB(5, 16))).isTrue();
		assertThat(isReddish(thumb.getRGB(45, 16))).isFalse();
	}

	@Test
	void aWebpLibwebpRefusesIsDecodedInJavaOnlyWhenSmall() throws Exception {
		// a lossless WebP header with no image data: libwebp refuses it, the fallback is tried or not
		Path small = write(TestImages.webpHeader(16, 16));
		Path large = write(TestImages.webpHeader(2000, 2000));
		RenditionMaker strict = new RenditionMaker(RenditionFormat.JPEG, 0.8f, 1000);
		assertThatExceptionOfType(UnreadableImageException.class)
			.isThrownBy(() -> strict.make(large, ImageFormat.WEBP, new Dimensions(2000, 2000), 1, SPECS, c -> {
			}))
			.withMessageContaining("too large for the pure-Java decoder");
		// the lenient pure-Java decoder makes something of the small one
		assertThat(strict.make(small, ImageFormat.WEBP, new Dimensions(16, 16), 1, SPECS, c -> {
		})).extracting(RenditionMaker.Encoded::size).containsExactly(new Dimensions(16, 16), new Dimensions(16, 16));
	}

	@Test
	void theRenditionFormatSettingIsJpegOrWebp() {
		assertThat(RenditionFormat.parse("WebP")).isEqualTo(RenditionFormat.WEBP);
		assertThat(RenditionFormat.parse("jpeg")).isEqualTo(RenditionFormat.JPEG);
		assertThat(RenditionFormat.WEBP.extension()).isEqualTo("webp");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> RenditionFormat.parse("png"));
	}

	private static BufferedImage solid(int width, int height, Color color) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setColor(color);
		g.fillRect(0, 0, width, height);
		g.dispose();
		return image;
	}

	/** An icon of PNG entries, in the given order. */
	private static byte[] icon(BufferedImage... images) throws Exception {
		List<byte[]> pngs = Arrays.stream(images).map(i -> encode("png", i)).toList();
		int size = 6 + 16 * images.length + pngs.stream().mapToInt(p -> p.length).sum();
		java.nio.ByteBuffer ico = java.nio.ByteBuffer.allocate(size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		ico.putShort((short) 0).putShort((short) 1).putShort((short) images.length);
		int offset = 6 + 16 * images.length;
		for (int i = 0; i < images.length; i++) {
			ico.put((byte) images[i].getWidth()).put((byte) images[i].getHeight()).put((byte) 0).put((byte) 0);
			ico.putShort((short) 1).putShort((short) 32).putInt(pngs.get(i).length).putInt(offset);
			offset += pngs.get(i).length;
		}
		pngs.forEach(ico::put);
		return ico.array();
	}

	private static byte[] encode(String format, BufferedImage image) {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		try {
			ImageIO.write(image, format, out);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	/** Soft gradients and a few hard-edged discs. */
	private static BufferedImage photoLike(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				int r = 128 + (int) (100 * Math.sin(x * 6.0 / width));
				int g = 128 + (int) (90 * Math.cos(y * 5.0 / height));
				int b = (x + y) * 255 / (width + height);
				image.setRGB(x, y, (r << 16) | (g << 8) | b);
			}
		}
		Graphics2D g = image.createGraphics();
		g.setColor(Color.ORANGE);
		g.fillOval(width / 5, height / 4, width / 3, height / 3);
		g.setColor(Color.DARK_GRAY);
		g.fillOval(width / 2, height / 2, width / 4, height / 3);
		g.dispose();
		return image;
	}

	private static BufferedImage areaAveraged(BufferedImage image, Dimensions size) {
		java.awt.Image scaled = image.getScaledInstance(size.width(), size.height(), java.awt.Image.SCALE_AREA_AVERAGING);
		BufferedImage out = new BufferedImage(size.width(), size.height(), BufferedImage.TYPE_INT_RGB);
		Graphics2D g = out.createGraphics();
		g.drawImage(scaled, 0, 0, null);
		g.dispose();
		return out;
	}

	/** Mean absolute difference of two images of one size, over the three channels, in levels of 255. */
	private static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
		assertThat(a.getWidth()).isEqualTo(b.getWidth());
		assertThat(a.getHeight()).isEqualTo(b.getHeight());
		long sum = 0;
		for (int y = 0; y < a.getHeight(); y++) {
			for (int x = 0; x < a.getWidth(); x++) {
				int p = a.getRGB(x, y);
				int q = b.getRGB(x, y);
				for (int shift = 0; shift <= 16; shift += 8) {
					sum += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
				}
			}
		}
		return sum / (3.0 * a.getWidth() * a.getHeight());
	}

	private static byte[] encodeJpeg(BufferedImage image) throws Exception {
		javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		try (javax.imageio.stream.MemoryCacheImageOutputStream out = new javax.imageio.stream.MemoryCacheImageOutputStream(
				bytes)) {
			javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
			param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
			param.setCompressionQuality(0.95f);
			writer.setOutput(out);
			writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
		}
		finally {
			writer.dispose();
		}
		return bytes.toByteArray();
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
