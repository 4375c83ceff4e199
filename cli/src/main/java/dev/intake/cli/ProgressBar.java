package dev.intake.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * One line on a terminal, redrawn in place with a carriage return: a label, a bar of {@code #}
 * and {@code -}, and a text such as {@code 1.2/3.4 MB} or {@code 5/6 items}. Redraws at most
 * every 100 ms unless forced; {@link #done} draws the last state and ends the line. Does nothing
 * when switched off (not a terminal, {@code --json}, {@code --no-progress}).
 */
public final class ProgressBar {

	static final int WIDTH = 30;

	private final PrintWriter out;

	private final boolean enabled;

	private final String label;

	private long lastDraw;

	private int lastLength;

	public ProgressBar(PrintWriter out, boolean enabled, String label) {
		this.out = out;
		this.enabled = enabled;
		this.label = label;
	}

	/** Whether progress bars are wanted: a terminal is attached and no flag turned them off. */
	public static boolean wanted(boolean json, boolean noProgress) {
		return !json && !noProgress && System.console() != null;
	}

	public synchronized void update(long done, long total, String text) {
		if (!enabled) {
			return;
		}
		long now = System.nanoTime();
		if (now - lastDraw < 100_000_000L && done < total) {
			return;
		}
		lastDraw = now;
		draw(done, total, text);
	}

	public synchronized void done(long done, long total, String text) {
		if (!enabled) {
			return;
		}
		draw(done, total, text);
		out.print('\n');
		out.flush();
	}

	private void draw(long done, long total, String text) {
		String line = render(label, done, total, text);
		int pad = Math.max(0, lastLength - line.length());
		out.print('\r' + line + " ".repeat(pad));
		out.flush();
		lastLength = line.length();
	}

	/** The line drawn; label and text may hold a batch id, so they are made safe to print. */
	static String render(String label, long done, long total, String text) {
		double fraction = total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
		int filled = (int) Math.round(fraction * WIDTH);
		return TerminalText.of(label) + " [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
				+ String.format(Locale.ROOT, "%3d%%", Math.round(fraction * 100)) + "  " + TerminalText.of(text);
	}

	/** Bytes as a person reads them: {@code 512 B}, {@code 3.4 KB}, {@code 12.0 MB}, {@code 1.50 GB}. */
	public static String bytes(long count) {
		if (count < 1024) {
			return count + " B";
		}
		if (count < 1024 * 1024) {
			return String.format(Locale.ROOT, "%.1f KB", count / 1024.0);
		}
		if (count < 1024L * 1024 * 1024) {
			return String.format(Locale.ROOT, "%.1f MB", count / (1024.0 * 1024));
		}
		return String.format(Locale.ROOT, "%.2f GB", count / (1024.0 * 1024 * 1024));
	}

}
