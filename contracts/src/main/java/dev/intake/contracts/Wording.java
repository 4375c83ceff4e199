package dev.intake.contracts;

import java.util.Locale;

/** The bach.art batch-upload API's wording for sizes ("15.00MB") and positions ("2nd"), in one place. */
public final class Wording {

	private static final double MB = 1024.0 * 1024.0;

	private Wording() {
	}

	/**
	 * Bytes as the bach.art API writes them: megabytes with two decimals, e.g. {@code 15.00MB},
	 * rounded up, so that a size one byte over a limit of 10MB reads {@code 10.01MB}, never
	 * {@code 10.00MB}.
	 */
	public static String megabytes(long bytes) {
		long hundredths = (bytes * 100 + (long) MB - 1) / (long) MB;
		return String.format(Locale.ROOT, "%d.%02dMB", hundredths / 100, hundredths % 100);
	}

	/** A whole number of megabytes, as in "the maximum limit of 10MB". */
	public static String limitMegabytes(long bytes) {
		double mb = bytes / MB;
		return (mb == Math.rint(mb)) ? String.format(Locale.ROOT, "%dMB", (long) mb) : megabytes(bytes);
	}

	/** The English ordinal of a one-based position: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st. */
	public static String ordinal(int position) {
		int mod100 = position % 100;
		String suffix;
		if (mod100 >= 11 && mod100 <= 13) {
			suffix = "th";
		}
		else {
			suffix = switch (position % 10) {
				case 1 -> "st";
				case 2 -> "nd";
				case 3 -> "rd";
				default -> "th";
			};
		}
		return position + suffix;
	}

}
