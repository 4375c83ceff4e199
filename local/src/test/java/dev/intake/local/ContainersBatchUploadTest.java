package dev.intake.local;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The foundation scenario against Kafka and MinIO containers, for machines with a Docker engine.
 * Where there is none, JUnit reports this class as skipped ("disabled: Docker is not available");
 * {@link EmbeddedBatchUploadTest} covers the same scenario without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersBatchUploadTest {

	static final String KAFKA_IMAGE = "apache/kafka:4.1.0";

	static final String MINIO_IMAGE = "minio/minio:RELEASE.2025-09-07T16-13-09Z";

	@TempDir
	static Path dataDir;

	static KafkaContainer kafka;

	static MinIOContainer minio;

	static LocalIntake intake;

	static StoredObjects storage;

	@BeforeAll
	static void start() throws Exception {
		// created here, not in field initialisers, so nothing touches Docker when the class is skipped
		kafka = new KafkaContainer(KAFKA_IMAGE);
		minio = new MinIOContainer(MINIO_IMAGE);
		kafka.start();
		minio.start();
		Backends.S3 s3 = new Backends.S3(minio.getS3URL(), minio.getUserName(), minio.getPassword());
		intake = LocalIntake.startServices(LocalStacks.settingsIn(dataDir), kafka.getBootstrapServers(), s3);
		storage = new StoredObjects(s3);
	}

	@AfterAll
	static void stop() {
		if (storage != null) {
			storage.close();
		}
		if (intake != null) {
			intake.close();
		}
		if (minio != null) {
			minio.stop();
		}
		if (kafka != null) {
			kafka.stop();
		}
	}

	@Test
	void aJpegPngAndGifAreStoredWithTheBytesThatWereSent() throws Exception {
		BatchUploadScenario.jpegPngAndGifInOneBatch(LocalStacks.clientOf(intake), storage);
	}

}
