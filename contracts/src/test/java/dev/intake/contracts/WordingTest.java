package dev.intake.contracts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WordingTest {

	@Test
	void ordinalsFollowEnglishRules() {
		assertThat(Wording.ordinal(1)).isEqualTo("1st");
		assertThat(Wording.ordinal(2)).isEqualTo("2nd");
		assertThat(Wording.ordinal(3)).isEqualTo("3rd");
		assertThat(Wording.ordinal(4)).isEqualTo("4th");
		assertThat(Wording.ordinal(11)).isEqualTo("11th");
		assertThat(Wording.ordinal(12)).isEqualTo("12th");
		assertThat(Wording.ordinal(13)).isEqualTo("13th");
		assertThat(Wording.ordinal(21)).isEqualTo("21st");
		assertThat(Wording.ordinal(112)).isEqualTo("112th");
		assertThat(Wording.ordinal(300)).isEqualTo("300th");
	}

	@Test
	void sizesReadAsTheSeedWritesThem() {
		assertThat(Wording.megabytes(15L * 1024 * 1024)).isEqualTo("15.00MB");
		assertThat(Wording.megabytes(1536L * 1024)).isEqualTo("1.50MB");
		assertThat(Wording.megabytes(10L * 1024 * 1024 + 1)).isEqualTo("10.01MB");
		assertThat(Wording.megabytes(0)).isEqualTo("0.00MB");
		assertThat(Wording.megabytes(300L * 1024 * 1024 * 1024)).isEqualTo("307200.00MB");
		assertThat(Wording.limitMegabytes(10L * 1024 * 1024)).isEqualTo("10MB");
	}

}
