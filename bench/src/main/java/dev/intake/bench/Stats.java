package dev.intake.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Samples of one measure: median, spread (min–max) and percentiles. */
final class Stats {

	private final List<Double> values = new ArrayList<>();

	void add(double value) {
		values.add(value);
	}

	void addAll(Stats other) {
		values.addAll(other.values);
	}

	int count() {
		return values.size();
	}

	double median() {
		return percentile(50);
	}

	/** Nearest-rank percentile. */
	double percentile(double p) {
		if (values.isEmpty()) {
			return Double.NaN;
		}
		List<Double> sorted = sorted();
		int rank = (int) Math.ceil(p / 100.0 * sorted.size());
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
	}

	double mean() {
		return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
	}

	double min() {
		return values.isEmpty() ? Double.NaN : sorted().get(0);
	}

	double max() {
		return values.isEmpty() ? Double.NaN : sorted().get(values.size() - 1);
	}

	/** "median (min–max)" with the given number format. */
	String spread(String format) {
		return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")", median(), min(), max());
	}

	private List<Double> sorted() {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted;
	}

}
