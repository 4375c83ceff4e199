package dev.intake.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in this JVM, bound to
 * 127.0.0.1 only. Its log directory is formatted once; later starts reuse it, so topics and
 * records survive a restart.
 */
final class LocalKafkaBroker implements AutoCloseable {

	private final KafkaRaftServer server;

	private final int port;

	private LocalKafkaBroker(KafkaRaftServer server, int port) {
		this.server = server;
		this.port = port;
	}

	static LocalKafkaBroker start(Path dataDir, int port, int controllerPort) throws IOException {
		return start(dataDir, port, controllerPort, Map.of());
	}

	/**
	 * @param overrides broker settings that replace the defaults of {@link #brokerProperties}, e.g. a
	 * lower {@code group.share.delivery.count.limit} for a fault test
	 */
	static LocalKafkaBroker start(Path dataDir, int port, int controllerPort, Map<String, String> overrides)
			throws IOException {
		Path logDir = dataDir.toAbsolutePath().resolve("kafka");
		Files.createDirectories(logDir);
		Properties props = brokerProperties(logDir, port, controllerPort);
		props.putAll(overrides);
		if (!Files.exists(logDir.resolve("meta.properties"))) {
			format(dataDir.toAbsolutePath(), props);
		}
		KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
		try {
			server.startup();
		}
		catch (RuntimeException ex) {
			// the controller starts before the broker: one whose broker failed (its port in use) is stopped too
			server.shutdown();
			server.awaitShutdown();
			throw ex;
		}
		return new LocalKafkaBroker(server, port);
	}

	String bootstrapServers() {
		return "127.0.0.1:" + port;
	}

	@Override
	public void close() {
		server.shutdown();
		server.awaitShutdown();
	}

	private static Properties brokerProperties(Path logDir, int port, int controllerPort) {
		Properties props = new Properties();
		props.setProperty("process.roles", "broker,controller");
		props.setProperty("node.id", "1");
		props.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
		props.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
		props.setProperty("advertised.listeners",
				"PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
		props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
		props.setProperty("controller.listener.names", "CONTROLLER");
		props.setProperty("inter.broker.listener.name", "PLAINTEXT");
		props.setProperty("log.dirs", logDir.toString());
		// one node: every internal topic has one replica
		props.setProperty("offsets.topic.replication.factor", "1");
		props.setProperty("transaction.state.log.replication.factor", "1");
		props.setProperty("transaction.state.log.min.isr", "1");
		props.setProperty("share.coordinator.state.topic.replication.factor", "1");
		props.setProperty("share.coordinator.state.topic.min.isr", "1");
		// the workers' share group (intake.jobs): their job lock may outlast the slowest item, and a
		// job is delivered at most ten times, the last one only to fail it (docs/operations.md)
		props.setProperty("group.share.max.record.lock.duration.ms", "900000");
		props.setProperty("group.share.delivery.count.limit", "10");
		props.setProperty("group.initial.rebalance.delay.ms", "0");
		// topics are declared by the services with their partitions and retention
		props.setProperty("auto.create.topics.enable", "false");
		props.setProperty("num.partitions", "1");
		return props;
	}

	private static void format(Path dataDir, Properties props) throws IOException {
		Path config = dataDir.resolve("kafka-server.properties");
		try (OutputStream out = Files.newOutputStream(config)) {
			props.store(out, "Intake embedded broker (written by the local launcher)");
		}
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		// execute (not main): main would call System.exit
		int exit = StorageTool$.MODULE$.execute(new String[] { "format", "--standalone", "-t",
				Uuid.randomUuid().toString(), "-c", config.toString() }, new PrintStream(output, true, StandardCharsets.UTF_8));
		if (exit != 0) {
			throw new IllegalStateException("Formatting the Kafka log directory failed: " + output);
		}
	}

}
