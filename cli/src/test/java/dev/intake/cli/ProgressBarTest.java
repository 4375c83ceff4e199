package dev.intake.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressBarTest {

	@Test
	void aBatchIdInTheLabelOrTextIsDrawnWithoutControlCharacters() {
		String line = ProgressBar.render("id\u001b[2J", 1, 1, "1.0 KB/1.0 KB sent  id\u0007\u202e");

		assertThat(line).isEqualTo("id\uFFFD[2J [##############################] 100%  1.0 KB/1.0 KB sent  id\uFFFD\uFFFD");
	}

}
