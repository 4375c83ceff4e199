package dev.intake.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeapHistogramTest {

	private static final String FIRST = """
			4242:
			 num     #instances         #bytes  class name (module)
			-------------------------------------------------------
			   1:         40000        4000000  [B (java.base@17.0.15)
			   2:          3000          72000  java.lang.String (java.base@17.0.15)
			   3:            10            480  org.apache.kafka.streams.state.internals.LRUCacheEntry
			   4:             5            200  dev.intake.Gone
			Total         43015        4072680
			""";

	private static final String LAST = """
			4242:
			 num     #instances         #bytes  class name (module)
			-------------------------------------------------------
			   1:         40500        9000000  [B (java.base@17.0.15)
			   2:          2000          48000  java.lang.String (java.base@17.0.15)
			   3:           310          14880  org.apache.kafka.streams.state.internals.LRUCacheEntry
			   4:             4           1024  dev.intake.New
			   5:             4           1024  dev.intake.New
			Total         42818        9064928
			""";

	@Test
	void readsRowsAndSkipsHeaderAndTotal() {
		HeapHistogram first = HeapHistogram.parse(FIRST);

		assertThat(first.classes()).hasSize(4);
		assertThat(first.classes().get("[B")).isEqualTo(new HeapHistogram.Count(40000, 4000000));
		assertThat(first.totalBytes()).isEqualTo(4072680);
	}

	@Test
	void namesTheClassesThatGrewMostLargestFirst() {
		List<HeapHistogram.Growth> grown = HeapHistogram.parse(LAST).grownMost(HeapHistogram.parse(FIRST), 2);

		assertThat(grown).extracting(HeapHistogram.Growth::className)
			.containsExactly("[B", "org.apache.kafka.streams.state.internals.LRUCacheEntry");
		assertThat(grown.get(0).bytes()).isEqualTo(5000000);
		assertThat(grown.get(1).instances()).isEqualTo(300);
	}

	@Test
	void aClassNewInTheLaterHistogramGrewFromNothingAndOneLoadedTwiceCountsOnce() {
		List<HeapHistogram.Growth> grown = HeapHistogram.parse(LAST).grownMost(HeapHistogram.parse(FIRST), 10);

		assertThat(grown).extracting(HeapHistogram.Growth::className)
			.containsExactly("[B", "org.apache.kafka.streams.state.internals.LRUCacheEntry", "dev.intake.New");
		assertThat(grown.get(2).before()).isEqualTo(new HeapHistogram.Count(0, 0));
		assertThat(grown.get(2).after()).isEqualTo(new HeapHistogram.Count(8, 2048));
	}

}
