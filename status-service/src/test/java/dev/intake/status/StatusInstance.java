package dev.intake.status;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KafkaStreams;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/**
 * One status-service instance of a multi-instance integration test, over the test's broker: its
 * own HTTP port on 127.0.0.1, management port and state directory, no object store to reach.
 */
public record StatusInstance(ConfigurableApplicationContext context, int port) {

	/**
	 * @param extraConfiguration further configuration classes of this instance
	 * @param extraArguments further {@code --name=value} settings of this instance
	 */
	public static StatusInstance start(EmbeddedKafkaBroker broker, Path stateDir, String name,
			List<Class<?>> extraConfiguration, String... extraArguments) throws IOException {
		// the port is chosen up front (the instance advertises it to its peers); one found free may be
		// bound by another process before the instance binds it (likelier on a busy machine): then the
		// instance, which closed what it started, starts again on another
		for (int attempt = 1;; attempt++) {
			try {
				return start(broker, stateDir, name, freePort(), extraConfiguration, extraArguments);
			}
			catch (RuntimeException ex) {
				if (attempt == 3 || !portInUse(ex)) {
					throw ex;
				}
			}
		}
	}

	private static StatusInstance start(EmbeddedKafkaBroker broker, Path stateDir, String name, int port,
			List<Class<?>> extraConfiguration, String... extraArguments) {
		SpringApplication application = StatusServiceApplication.application();
		application.addPrimarySources(extraConfiguration);
		List<String> arguments = new ArrayList<>(List.of(
				"--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(), "--server.port=" + port,
				"--server.address=127.0.0.1", "--management.server.port=0",
				"--spring.kafka.streams.state-dir=" + stateDir.resolve(name), "--intake.topics.replication-factor=1",
				"--intake.topics.batch-partitions=4", "--intake.s3.endpoint=http://127.0.0.1:9",
				"--intake.s3.access-key=test", "--intake.s3.secret-key=test-secret"));
		arguments.addAll(List.of(extraArguments));
		return new StatusInstance(application.run(arguments.toArray(String[]::new)), port);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static boolean portInUse(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BindException || cause.getClass().getSimpleName().equals("PortInUseException")
					|| String.valueOf(cause.getMessage()).contains("Address already in use")) {
				return true;
			}
		}
		return false;
	}

	public KafkaStreams streams() {
		return context.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
	}

	public boolean running() {
		KafkaStreams streams = streams();
		return streams != null && streams.state() == KafkaStreams.State.RUNNING;
	}

	public String url(String path) {
		return "http://127.0.0.1:" + port + path;
	}

}
