package dev.intake.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.intake.api.auth.ApiKeyTool;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One whole stack shared by the test classes that need no fresh one: the first class starts it,
 * the next ones reuse it, and it is closed when the test run ends. Registered as a static
 * {@code @RegisterExtension} field; the stack is there from the class's {@code @BeforeAll} on.
 * <p>
 * Its settings, beside the launcher's own: a second tenant {@code other} with {@link #OTHER_KEY};
 * a loopback server of the tests that workers may fetch from and webhooks may be delivered to; a
 * transient fetch failure retried twice within 200 ms; webhook retries every 200 ms, four times;
 * {@link #HELD} held until the stack stops (then interrupted after a second). None of them changes
 * what happens to an item that does not fail and is not so named.
 * <p>
 * A class on it must not need a fresh stack: its batch ids, tenants' data, webhook subscriptions
 * and loopback paths (under a prefix of its own, removed after the class) are its own, and it
 * asserts on those only (counts of stored objects as differences). The local module orders test
 * classes by {@code @Order}: the classes on the shared stack run after all others, in the order
 * of the constants below, so that a class that needs what others may leave behind runs first.
 */
final class SharedStack implements BeforeAllCallback, AfterAllCallback {

	/** The first class on the stack: no other class's batch events reach its subscriptions to every event. */
	static final int FIRST = Order.DEFAULT + 1;

	/** Classes that find nothing left in {@code staging/}: only batches that succeeded ran before them. */
	static final int CLEAN = Order.DEFAULT + 2;

	/** Classes whose items may fail, their staged bytes kept for a retry. */
	static final int FAILING = Order.DEFAULT + 3;

	/** The class that leaves a job held until the stack stops. */
	static final int LAST = Order.DEFAULT + 4;

	/** The key of the stack's second tenant, {@code other}. */
	static final String OTHER_KEY = "other-tenant-key-" + Long.toHexString(Double.doubleToLongBits(Math.random()));

	/** A file name whose decode the workers hold until the stack stops, so its batch stays unfinished. */
	static final String HELD = "held-in-the-queue.png";

	/** Webhook subscriptions a tenant may have on this stack: few, so reaching the limit takes little time. */
	static final int WEBHOOKS_PER_TENANT = 10;

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedStack.class);

	private final List<String> paths = new ArrayList<>();

	private Running running;

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
		synchronized (SharedStack.class) {
			Running current = store.get(Running.class, Running.class);
			if (current == null) {
				current = Running.start();
				store.put(Running.class, current);
			}
			running = current;
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (running != null) {
			paths.forEach(running.loopback::removeContext);
		}
		paths.clear();
		running = null;
	}

	LocalIntake intake() {
		return running.intake;
	}

	/**
	 * Serves {@code path} (which should start with the class's own prefix) on the stack's loopback
	 * server until the class ends; paths no class serves answer 404.
	 */
	void serve(String path, HttpHandler handler) {
		running.loopback.createContext(path, handler);
		paths.add(path);
	}

	/** The loopback server's URL of {@code path}. */
	String loopbackUrl(String path) {
		return "http://127.0.0.1:" + loopbackPort() + path;
	}

	int loopbackPort() {
		return running.loopback.getAddress().getPort();
	}

	/** A started stack, its data directory and loopback server; closed by the root store at the end. */
	private static final class Running implements AutoCloseable {

		private final Path dataDir;

		private final HttpServer loopback;

		private final LocalIntake intake;

		private Running(Path dataDir, HttpServer loopback, LocalIntake intake) {
			this.dataDir = dataDir;
			this.loopback = loopback;
			this.intake = intake;
		}

		static Running start() throws Exception {
			Path dataDir = Files.createTempDirectory("intake-shared-stack-");
			HttpServer loopback = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			loopback.start();
			try {
				String ports = "80,443," + loopback.getAddress().getPort();
				LocalIntake intake = LocalStacks.start(dataDir,
						"--intake.security.api-keys.other.tenant=other",
						"--intake.security.api-keys.other.hash=" + ApiKeyTool.hashOf(OTHER_KEY),
						"--intake.worker.fetch.allow-loopback=true", "--intake.worker.fetch.allowed-ports=" + ports,
						"--intake.webhooks.allow-loopback=true", "--intake.webhooks.allowed-ports=" + ports,
						"--intake.webhooks.max-per-tenant=" + WEBHOOKS_PER_TENANT,
						"--intake.worker.jobs.retry.max-retries=2", "--intake.worker.jobs.retry.initial-interval=100ms",
						"--intake.worker.jobs.retry.max-interval=200ms", "--intake.worker.jobs.retry.jitter=50ms",
						"--intake.webhooks.retry-schedule=200ms,200ms,200ms,200ms", "--intake.webhooks.jitter=0%",
						"--intake.worker.fault-injection.hold-decode-of=" + HELD,
						"--intake.worker.jobs.shutdown-grace=1s");
				return new Running(dataDir, loopback, intake);
			}
			catch (Exception | Error ex) {
				loopback.stop(0);
				delete(dataDir);
				throw ex;
			}
		}

		@Override
		public void close() {
			try {
				intake.close();
			}
			finally {
				loopback.stop(0);
				delete(dataDir);
			}
		}

		private static void delete(Path dir) {
			try (Stream<Path> files = Files.walk(dir)) {
				for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(file);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
