package dev.intake.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The foundation scenario against a Kafka container and an S3 server container, the images that
 * {@code docker-compose.yml} names, for machines with a Docker engine. Where there is none, JUnit
 * reports this class as skipped ("disabled: Docker is not available"). Where the engine has the
 * images neither locally nor from a registry, the class is skipped with a message naming them
 * ({@code scripts/compose-smoke.sh} builds local stand-ins under these names on machines without a
 * registry). {@link EmbeddedBatchUploadTest} covers the same scenario without Docker.
 * <p>
 * Inside a container (a {@code /.dockerenv} file, as on the machines this project is built on)
 * Testcontainers finds the engine's address by running {@code alpine}, and reports Docker as not
 * available when it cannot pull it; with the engine in the same container, run with
 * {@code TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1} and {@code DOCKER_HOST} set to the engine's socket.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersBatchUploadTest {

	static final String KAFKA_IMAGE = "apache/kafka:4.2.2";

	static final String S3_IMAGE = "chrislusf/seaweedfs:3.97";

	static final String S3_ACCESS_KEY = "intake-test";

	static final String S3_SECRET_KEY = "intake-test-secret";

	@TempDir
	static Path dataDir;

	static KafkaContainer kafka;

	static GenericContainer<?> s3;

	static LocalIntake intake;

	static StoredObjects storage;

	/** Why the images cannot be had, or null; each test is then skipped with this message. */
	static String missingImages;

	@BeforeAll
	static void start() throws Exception {
		for (String image : List.of(KAFKA_IMAGE, S3_IMAGE)) {
			String why = unavailable(image);
			if (why != null) {
				missingImages = "image " + image + " cannot be had here (" + why + "); scripts/compose-smoke.sh "
						+ "builds local stand-ins under the names docker-compose.yml uses";
				return;
			}
		}
		// created here, not in field initialisers, so nothing touches Docker when the class is skipped
		kafka = new KafkaContainer(KAFKA_IMAGE);
		s3 = new GenericContainer<>(S3_IMAGE)
			.withCommand("server", "-dir=/data", "-s3", "-s3.port=9000")
			.withEnv("AWS_ACCESS_KEY_ID", S3_ACCESS_KEY)
			.withEnv("AWS_SECRET_ACCESS_KEY", S3_SECRET_KEY)
			.withExposedPorts(9000)
			// any S3 answer to an anonymous request means the server is up
			.waitingFor(Wait.forHttp("/").forPort(9000).forStatusCodeMatching(code -> code < 500)
				.withStartupTimeout(Duration.ofMinutes(2)));
		kafka.start();
		s3.start();
		Backends.S3 settings = new Backends.S3("http://" + s3.getHost() + ":" + s3.getMappedPort(9000), S3_ACCESS_KEY,
				S3_SECRET_KEY);
		intake = LocalStacks.onFreePorts(dataDir,
				ports -> LocalIntake.startServices(ports, kafka.getBootstrapServers(), settings));
		storage = new StoredObjects(settings);
	}

	/** Null when the engine has {@code image} or can pull it, else why not. */
	private static String unavailable(String image) {
		DockerClient docker = DockerClientFactory.lazyClient();
		try {
			docker.inspectImageCmd(image).exec();
			return null;
		}
		catch (NotFoundException notLocal) {
			try {
				boolean done = docker.pullImageCmd(image).start().awaitCompletion(60, TimeUnit.SECONDS);
				return done ? null : "no pull within 60 s";
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return "interrupted while pulling";
			}
			catch (RuntimeException ex) {
				return "not on this engine and the pull failed: " + ex.getMessage();
			}
		}
	}

	@AfterAll
	static void stop() {
		if (storage != null) {
			storage.close();
		}
		if (intake != null) {
			intake.close();
		}
		if (s3 != null) {
			s3.stop();
		}
		if (kafka != null) {
			kafka.stop();
		}
	}

	@BeforeEach
	void imagesAreThere() {
		Assumptions.assumeTrue(missingImages == null, () -> missingImages);
	}

	@Test
	void aJpegPngAndGifAreStoredWithTheBytesThatWereSent() throws Exception {
		BatchUploadScenario.jpegPngAndGifInOneBatch(LocalStacks.clientOf(intake), storage);
	}

}
