package dev.intake.bench;

import java.util.List;
import java.util.Locale;

import dev.intake.testsupport.TestImages;

/**
 * Finds the best direct-PUT client for this machine: the same images PUT at several
 * concurrencies after a warm-up, twice each; the fastest median becomes the anchor of every ratio.
 */
final class Anchors {

	private static final List<Integer> CONCURRENCIES = List.of(2, 8, 32);

	private Anchors() {
	}

	static DirectPut tuned(String endpoint, List<byte[]> images, Report report, boolean quick) throws Exception {
		int best = 0;
		double bestRate = 0;
		StringBuilder sweep = new StringBuilder();
		for (int concurrency : quick ? List.of(8) : CONCURRENCIES) {
			try (DirectPut put = new DirectPut(endpoint, concurrency)) {
				put.putAll("tune-warm-" + concurrency, TestImages.variants(images, "warm-" + concurrency));
				Stats rate = new Stats();
				for (int rep = 0; rep < 2; rep++) {
					String id = "tune-" + concurrency + "-" + rep;
					rate.add(images.size() / put.putAll(id, TestImages.variants(images, id)));
				}
				sweep.append(String.format(Locale.ROOT, "%s%d: %.0f/s", (sweep.length() > 0) ? ", " : "", concurrency,
						rate.median()));
				if (rate.median() > bestRate) {
					bestRate = rate.median();
					best = concurrency;
				}
			}
		}
		System.out.println("direct PUT sweep (images/s by concurrency): " + sweep);
		report.anchor(best, sweep.toString());
		return new DirectPut(endpoint, best);
	}

}
