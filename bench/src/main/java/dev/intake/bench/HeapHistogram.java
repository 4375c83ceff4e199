package dev.intake.bench;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live objects of a JVM by class, as {@code jcmd <pid> GC.class_histogram} prints them (after
 * the full collection it forces): instances and bytes per class name. Compared with an earlier
 * histogram of the same process it names the classes that grew most, which tells a cache filling
 * up (its entry classes grow in step with the keys it holds) from state kept per request or per
 * batch.
 *
 * @param classes instances and bytes by class name (module suffix dropped)
 */
record HeapHistogram(Map<String, Count> classes) {

	/** A row of the histogram: "   1:   40123   5123456  [B (java.base@17.0.15)". */
	private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

	/** Instances and bytes of one class. */
	record Count(long instances, long bytes) {
	}

	/** One class's change from an earlier histogram to a later one. */
	record Growth(String className, Count before, Count after) {

		long bytes() {
			return after.bytes() - before.bytes();
		}

		long instances() {
			return after.instances() - before.instances();
		}

	}

	HeapHistogram {
		classes = Map.copyOf(classes);
	}

	/** Reads the text jcmd printed; lines that are not rows (header, total) are skipped. */
	static HeapHistogram parse(String text) {
		Map<String, Count> classes = new HashMap<>();
		for (String line : text.split("\\R")) {
			Matcher m = ROW.matcher(line);
			if (m.find()) {
				// a class name may appear once per class loader: add them up
				classes.merge(m.group(3), new Count(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
						(a, b) -> new Count(a.instances() + b.instances(), a.bytes() + b.bytes()));
			}
		}
		return new HeapHistogram(classes);
	}

	/** Bytes of all live objects. */
	long totalBytes() {
		return classes.values().stream().mapToLong(Count::bytes).sum();
	}

	/** The at most {@code limit} classes whose bytes grew most since {@code earlier}, largest first. */
	List<Growth> grownMost(HeapHistogram earlier, int limit) {
		Count none = new Count(0, 0);
		return classes.entrySet()
			.stream()
			.map(e -> new Growth(e.getKey(), earlier.classes.getOrDefault(e.getKey(), none), e.getValue()))
			.filter(g -> g.bytes() > 0)
			.sorted(Comparator.comparingLong(Growth::bytes).reversed().thenComparing(Growth::className))
			.limit(limit)
			.toList();
	}

}
