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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A whole stack shared by the test classes that ask for the same {@link Kind}: the first class
 * starts it, the next ones reuse it, and it is closed when a class asks for another kind or the
 * test run ends. Registered as a static {@code @RegisterExtension} field; the stack is there from
 * the class's {@code @BeforeAll} on. The classes of a kind carry the same {@code @Order} (the local
 * module orders classes by it), so a kind's classes run one after another on one stack.
 * <p>
 * A class on a shared stack must not need a fresh one: its batch ids, tenants' data, webhook
 * subscriptions and loopback paths are its own, and it asserts on those only (counts of stored
 * objects as differences). Its loopback paths start with a prefix of its own and are removed
 * after the class.
 */
final class SharedStack implements BeforeAllCallback, AfterAllCallback {

	/** The key of the second tenant ({@code other}) of every shared stack. */
	static final String OTHER_KEY = "other-tenant-key-" + Long.toHexString(Double.doubleToLongBits(Math.random()));

	/** A file name whose decode the workers of a {@link Kind#LOOPBACK} stack fail as a decoder bug would. */
	static final String DECODER_BUG = "decoder-bug.png";

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedStack.class);

	/** The settings of a shared stack, beside the launcher's own. */
	enum Kind {

		/** The defaults, and a second tenant {@code other} with {@link #OTHER_KEY}. */
		PLAIN,

		/**
		 * As {@link #PLAIN}, plus a loopback server of the tests that workers may fetch from and
		 * webhooks may be delivered to; transient fetch failures retried twice within 200 ms; webhook
		 * retries every 200 ms, four times; {@link #DECODER_BUG} failing its decode; one partition of
		 * the batch topics (batches and their events handled in the order submitted).
		 */
		LOOPBACK

	}

	private final Kind kind;

	private final List<String> paths = new ArrayList<>();

	private Running running;

	SharedStack(Kind kind) {
		this.kind = kind;
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
		synchronized (SharedStack.class) {
			Running current = store.get(Running.class, Running.class);
			if (current != null && current.kind != kind) {
				store.remove(Running.class);
				current.close();
				current = null;
			}
			if (current == null) {
				current = Running.start(kind);
				store.put(Running.class, current);
			}
			running = current;
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (running != null && running.loopback != null) {
			paths.forEach(running.loopback::removeContext);
		}
		paths.clear();
		running = null;
	}

	LocalIntake intake() {
		return running.intake;
	}

	/**
	 * Serves {@code path} (which should start with the class's own prefix) on the loopback server of
	 * a {@link Kind#LOOPBACK} stack until the class ends; paths no class serves answer 404.
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

		private final Kind kind;

		private final Path dataDir;

		private final HttpServer loopback;

		private final LocalIntake intake;

		private Running(Kind kind, Path dataDir, HttpServer loopback, LocalIntake intake) {
			this.kind = kind;
			this.dataDir = dataDir;
			this.loopback = loopback;
			this.intake = intake;
		}

		static Running start(Kind kind) throws Exception {
			Path dataDir = Files.createTempDirectory("intake-shared-" + kind.name().toLowerCase() + "-");
			HttpServer loopback = null;
			try {
				List<String> args = new ArrayList<>(List.of("--intake.security.api-keys.other.tenant=other",
						"--intake.security.api-keys.other.hash=" + ApiKeyTool.hashOf(OTHER_KEY)));
				if (kind == Kind.LOOPBACK) {
					loopback = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
					loopback.start();
					String ports = "80,443," + loopback.getAddress().getPort();
					args.addAll(List.of("--intake.worker.fetch.allow-loopback=true",
							"--intake.worker.fetch.allowed-ports=" + ports, "--intake.webhooks.allow-loopback=true",
							"--intake.webhooks.allowed-ports=" + ports, "--intake.worker.jobs.retry.max-retries=2",
							"--intake.worker.jobs.retry.initial-interval=100ms",
							"--intake.worker.jobs.retry.max-interval=200ms", "--intake.worker.jobs.retry.jitter=50ms",
							"--intake.webhooks.retry-schedule=200ms,200ms,200ms,200ms", "--intake.webhooks.jitter=0%",
							"--intake.worker.fault-injection.fail-decode-of=" + DECODER_BUG,
							"--intake.topics.batch-partitions=1"));
				}
				LocalIntake intake = LocalIntake.start(LocalStacks.settingsIn(dataDir), args.toArray(String[]::new));
				return new Running(kind, dataDir, loopback, intake);
			}
			catch (Exception | Error ex) {
				if (loopback != null) {
					loopback.stop(0);
				}
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
				if (loopback != null) {
					loopback.stop(0);
				}
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
