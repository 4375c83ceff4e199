package dev.intake.worker.ingest;

import java.nio.file.Path;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the images a worker accepts ({@code intake.worker.*}).
 *
 * @param maxImageSize largest image in bytes; larger ones fail with {@code TOO_LARGE}
 * @param maxPixels largest width × height, judged from the header; larger ones fail with
 * {@code TOO_MANY_PIXELS}
 * @param maxSide longest width or height in pixels; longer ones fail with {@code TOO_MANY_PIXELS}
 * @param tempDir where images are downloaded while they are checked (one file per job in
 * progress, deleted when it ends); empty for the system's temporary directory
 */
@Validated
@ConfigurationProperties("intake.worker")
record IngestProperties(@DefaultValue("10MB") @NotNull DataSize maxImageSize,
		@DefaultValue("50000000") @Min(1) long maxPixels, @DefaultValue("16384") @Min(1) int maxSide, Path tempDir) {

	IngestProperties {
		if (maxImageSize != null && maxImageSize.toBytes() < 1) {
			throw new IllegalArgumentException("intake.worker.max-image-size must be positive");
		}
	}

	Path tempDirOrDefault() {
		return (tempDir != null && !tempDir.toString().isBlank()) ? tempDir
				: Path.of(System.getProperty("java.io.tmpdir"), "intake-worker");
	}

}
