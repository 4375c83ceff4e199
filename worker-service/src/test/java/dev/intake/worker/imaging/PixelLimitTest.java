package dev.intake.worker.imaging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PixelLimitTest {

	private final PixelLimit limit = new PixelLimit(50_000_000, 16384);

	@Test
	void allowsImagesUpToBothLimits() {
		assertThat(limit.allows(new Dimensions(1, 1))).isTrue();
		assertThat(limit.allows(new Dimensions(16384, 3051))).isTrue();
		assertThat(limit.allows(new Dimensions(10000, 5000))).isTrue();
	}

	@Test
	void refusesTooManyPixels() {
		assertThat(limit.allows(new Dimensions(10000, 5001))).isFalse();
		assertThat(limit.sideTooLong(new Dimensions(10000, 5001))).isFalse();
	}

	@Test
	void refusesASideOverTheLimit() {
		assertThat(limit.allows(new Dimensions(16385, 1))).isFalse();
		assertThat(limit.sideTooLong(new Dimensions(1, 16385))).isTrue();
	}

	@Test
	void countsPixelsWithoutIntOverflow() {
		Dimensions huge = new Dimensions(Integer.MAX_VALUE, Integer.MAX_VALUE);
		assertThat(huge.pixels()).isEqualTo((long) Integer.MAX_VALUE * Integer.MAX_VALUE);
		assertThat(new PixelLimit(Long.MAX_VALUE, Integer.MAX_VALUE).allows(huge)).isTrue();
		assertThat(new PixelLimit(Long.MAX_VALUE, 65536).allows(new Dimensions(65536, 65536))).isTrue();
		assertThat(new PixelLimit(4_294_967_295L, 65536).allows(new Dimensions(65536, 65536))).isFalse();
	}

	@Test
	void limitsMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PixelLimit(0, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> new PixelLimit(1, 0));
	}

}
