package dev.intake.local;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded Kafka broker alone, as its own process: {@code BrokerMain <dataDir> <port>
 * <controllerPort>}. Used by the fault tests ({@code faults/}) to kill and restart the broker;
 * the same data directory and ports on a restart keep every topic and record. Prints
 * {@code BROKER READY} once it accepts connections; SIGTERM shuts it down cleanly.
 */
public final class BrokerMain {

	private BrokerMain() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 3) {
			System.err.println("usage: BrokerMain <dataDir> <port> <controllerPort>");
			System.exit(2);
		}
		LocalKafkaBroker broker = LocalKafkaBroker.start(Path.of(args[0]), Integer.parseInt(args[1]),
				Integer.parseInt(args[2]));
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
