package dev.intake.testsupport;

import java.io.ByteArrayInputStream;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestImagesTest {

	@Test
	void noisyJpegsAreDeterministicDistinctAndNearTheWantedSize() {
		List<byte[]> first = TestImages.noisyJpegs(3, 50_000, 7);
		List<byte[]> again = TestImages.noisyJpegs(3, 50_000, 7);
		for (int i = 0; i < 3; i++) {
			assertThat(again.get(i)).isEqualTo(first.get(i));
			assertThat(first.get(i).length).isBetween(35_000, 65_000);
		}
		assertThat(first.get(0)).isNotEqualTo(first.get(1));
	}

	@Test
	void aVariantIsTheSamePictureInDifferentBytes() throws Exception {
		byte[] jpeg = TestImages.noisyJpegs(1, 20_000, 3).get(0);
		byte[] variant = TestImages.variant(jpeg, "rep-1");
		assertThat(variant).isNotEqualTo(jpeg);
		var original = ImageIO.read(new ByteArrayInputStream(jpeg));
		var copy = ImageIO.read(new ByteArrayInputStream(variant));
		assertThat(copy.getWidth()).isEqualTo(original.getWidth());
		assertThat(copy.getRGB(5, 5)).isEqualTo(original.getRGB(5, 5));
	}

	@Test
	void aSeriesIsDistinctAndTheSameForTheSameName() {
		List<TestImages.Named> series = TestImages.series("batch-a", 3);
		assertThat(series).extracting(TestImages.Named::name).containsExactly("batch-a-0.png", "batch-a-1.png",
				"batch-a-2.png");
		assertThat(series.get(0).bytes()).isNotEqualTo(series.get(1).bytes());
		assertThat(TestImages.series("batch-a", 3).get(2).bytes()).isEqualTo(series.get(2).bytes());
		assertThat(TestImages.series("batch-b", 1).get(0).bytes()).isNotEqualTo(series.get(0).bytes());
	}

	@Test
	void uniqueDrawingsDifferAndDecode() throws Exception {
		byte[] first = TestImages.unique().png(64, 48);
		byte[] second = TestImages.unique().png(64, 48);
		assertThat(first).isNotEqualTo(second);
		var image = ImageIO.read(new ByteArrayInputStream(first));
		assertThat(image.getWidth()).isEqualTo(64);
		assertThat(image.getHeight()).isEqualTo(48);
		assertThat(ImageIO.read(new ByteArrayInputStream(TestImages.unique().gif(33, 17))).getWidth()).isEqualTo(33);
	}

	@Test
	void fixedPicturesAreTheSameEveryTime() {
		assertThat(TestImages.png(10, 10)).isEqualTo(TestImages.png(10, 10));
		assertThat(TestImages.jpeg(10, 10)).isEqualTo(TestImages.jpeg(10, 10));
	}

}
