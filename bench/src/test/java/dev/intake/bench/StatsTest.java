package dev.intake.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatsTest {

	@Test
	void medianPercentilesAndSpreadUseNearestRank() {
		Stats stats = new Stats();
		for (int i = 100; i >= 1; i--) {
			stats.add(i);
		}
		assertThat(stats.median()).isEqualTo(50);
		assertThat(stats.percentile(99)).isEqualTo(99);
		assertThat(stats.min()).isEqualTo(1);
		assertThat(stats.max()).isEqualTo(100);
		assertThat(stats.spread("%.0f")).isEqualTo("50 (1–100)");
	}

	@Test
	void noSamplesIsNotANumber() {
		assertThat(new Stats().median()).isNaN();
	}

}
