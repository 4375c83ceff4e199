package dev.intake.worker.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import dev.intake.platform.s3.IntakeBucket;
import dev.intake.worker.imaging.DimensionReader;
import dev.intake.worker.imaging.PixelLimit;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import software.amazon.awssdk.services.s3.S3Client;

/** Wires {@link ImageIngestion} to S3 and to whatever {@link ResultPublisher} the app provides. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IngestProperties.class)
class IngestConfiguration {

	@Bean
	ImageIngestion imageIngestion(S3Client s3, IntakeBucket bucket, ResultPublisher results, IngestProperties props) {
		ImageInspector inspector = new ImageInspector(new DimensionReader(),
				new PixelLimit(props.maxPixels(), props.maxSide()));
		return new ImageIngestion(new ImageStore(s3, bucket.name()), inspector, results,
				props.maxImageSize().toBytes(), createTempDir(props.tempDirOrDefault()), Clock.systemUTC());
	}

	private static Path createTempDir(Path dir) {
		try {
			return Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create intake.worker.temp-dir " + dir, ex);
		}
	}

}
