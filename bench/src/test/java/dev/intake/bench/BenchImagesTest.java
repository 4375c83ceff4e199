package dev.intake.bench;

import java.io.ByteArrayInputStream;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BenchImagesTest {

	@Test
	void imagesAreDeterministicDistinctAndNearTheWantedSize() {
		List<byte[]> first = BenchImages.jpegs(3, 50_000, 7);
		List<byte[]> again = BenchImages.jpegs(3, 50_000, 7);
		for (int i = 0; i < 3; i++) {
			assertThat(again.get(i)).isEqualTo(first.get(i));
			assertThat(first.get(i).length).isBetween(35_000, 65_000);
		}
		assertThat(first.get(0)).isNotEqualTo(first.get(1));
	}

	@Test
	void aVariantIsTheSamePictureInDifferentBytes() throws Exception {
		byte[] jpeg = BenchImages.jpegs(1, 20_000, 3).get(0);
		byte[] variant = BenchImages.variant(jpeg, "rep-1");
		assertThat(variant).isNotEqualTo(jpeg);
		var original = ImageIO.read(new ByteArrayInputStream(jpeg));
		var copy = ImageIO.read(new ByteArrayInputStream(variant));
		assertThat(copy.getWidth()).isEqualTo(original.getWidth());
		assertThat(copy.getRGB(5, 5)).isEqualTo(original.getRGB(5, 5));
	}

}
