package dev.intake.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * What every fault scenario shares: timing lines on standard output, and, when a scenario
 * fails, the tails of the logs of every child process it involved (register it with
 * {@code @ExtendWith(Faults.class)}).
 */
final class Faults implements TestExecutionExceptionHandler {

	private static final List<Child> involved = new ArrayList<>();

	static void log(String line) {
		System.out.println("[faults " + Instant.now() + "] " + line);
		System.out.flush();
	}

	static String since(long startNanos) {
		return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
	}

	/** Marks a child whose log is printed if the running scenario fails. */
	static Child involve(Child child) {
		synchronized (involved) {
			involved.add(child);
		}
		return child;
	}

	/** Stops (SIGKILL) the scenario's own children, e.g. its workers, and forgets them. */
	static void endScenario() {
		synchronized (involved) {
			involved.forEach(Child::kill);
			involved.clear();
		}
	}

	static void sleep(Duration duration) throws InterruptedException {
		Thread.sleep(duration.toMillis());
	}

	@Override
	public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
		StringBuilder out = new StringBuilder("Scenario " + context.getDisplayName() + " failed; child logs:\n");
		List<Child> children = new ArrayList<>();
		synchronized (involved) {
			children.addAll(involved);
		}
		try {
			children.addAll(Stack.shared().sharedChildren());
		}
		catch (Exception ex) {
			// the stack never started: its own failure says why
		}
		children.forEach(child -> out.append(child.tail(120)).append('\n'));
		System.out.println(out);
		throw throwable;
	}

}
