package dev.intake.local;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded Kafka broker alone, as its own process: {@code BrokerMain <dataDir> <port>
 * <controllerPort> [broker.setting=value ...]} (settings that replace the embedded defaults). Used by the fault tests ({@code faults/}) to kill and restart the broker;
 * the same data directory and ports on a restart keep every topic and record. Prints
 * {@code BROKER READY} once it accepts connections; SIGTERM shuts it down cleanly.
 */
public final class BrokerMain {

	private BrokerMain() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 3) {
			System.err.println("usage: BrokerMain <dataDir> <port> <controllerPort> [broker.setting=value ...]");
			System.exit(2);
		}
		Map<String, String> overrides = new LinkedHashMap<>();
		for (int i = 3; i < args.length; i++) {
			int equals = args[i].indexOf('=');
			if (equals < 1) {
				System.err.println("not a broker.setting=value: " + args[i]);
				System.exit(2);
			}
			overrides.put(args[i].substring(0, equals), args[i].substring(equals + 1));
		}
		LocalKafkaBroker broker = LocalKafkaBroker.start(Path.of(args[0]), Integer.parseInt(args[1]),
				Integer.parseInt(args[2]), overrides);
		awaitShutdown(broker, "BROKER READY " + broker.bootstrapServers());
	}

	/** Prints {@code ready}, then blocks until the JVM is asked to stop, and closes {@code server} then. */
	static void awaitShutdown(AutoCloseable server, String ready) throws InterruptedException {
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				server.close();
			}
			catch (Exception ex) {
				System.err.println("Stopping failed: " + ex);
			}
			stopped.countDown();
		}, "backend-shutdown"));
		System.out.println(ready);
		System.out.flush();
		stopped.await();
	}

}
