package dev.intake.worker.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import dev.intake.worker.imaging.RenditionFormat;
import dev.intake.worker.imaging.RenditionSpec;

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
 * @param maxWebpFallbackPixels largest WebP image handed to the pure-Java decoder when the native
 * one cannot decode it (animated WebP): that decoder allocates the whole image, about 46 bytes of
 * heap per pixel at its peak, however small the renditions; larger ones fail with
 * {@code CORRUPT_IMAGE}
 * @param maxFrames most frames (GIF) or pages (TIFF) an image may have; more fail with
 * {@code TOO_MANY_PIXELS}
 * @param decode the pool every header read and decode runs on
 * @param renditions renditions made of every raster image, as {@code name:longEdge} in pixels,
 * scaled down (never up) from the displayed size; empty for none
 * @param renditionQuality JPEG or WebP quality of renditions, 0 to 1
 * @param renditionFormat how renditions are encoded: {@code jpeg} or {@code webp} (lossy, by the
 * bundled native libwebp for Linux x86_64/aarch64, macOS and Windows; start-up fails if it cannot
 * load)
 * @param tempDir where images are downloaded while they are checked (one file per job in
 * progress, deleted when it ends); empty for the system's temporary directory
 */
@Validated
@ConfigurationProperties("intake.worker")
record IngestProperties(@DefaultValue("10MB") @NotNull DataSize maxImageSize,
		@DefaultValue("50000000") @Min(1) long maxPixels, @DefaultValue("16384") @Min(1) int maxSide,
		@DefaultValue("500") @Min(1) int maxFrames, @DefaultValue("1048576") @Min(1) long maxWebpFallbackPixels, @DefaultValue @Valid Decode decode,
		@DefaultValue({ "thumb:256", "preview:1024" }) List<String> renditions,
		@DefaultValue("0.8") @DecimalMin("0.05") @DecimalMax("1.0") float renditionQuality,
		@DefaultValue("jpeg") @NotNull String renditionFormat, Path tempDir) {

	/**
	 * @param threads images read or decoded at once on this worker
	 * @param timeout longest one read or decode may take; longer fails the item as
	 * {@code CORRUPT_IMAGE}
	 */
	record Decode(@DefaultValue("2") @Min(1) int threads, @DefaultValue("20s") @NotNull Duration timeout) {
	}

	IngestProperties {
		if (maxImageSize != null && maxImageSize.toBytes() < 1) {
			throw new IllegalArgumentException("intake.worker.max-image-size must be positive");
		}
	}

	/** The configured renditions, parsed. */
	List<RenditionSpec> renditionSpecs() {
		List<RenditionSpec> specs = (renditions != null)
				? renditions.stream().filter(r -> !r.isBlank()).map(RenditionSpec::parse).toList() : List.of();
		if (specs.stream().map(RenditionSpec::name).distinct().count() != specs.size()) {
			throw new IllegalArgumentException("intake.worker.renditions names must be unique");
		}
		return specs;
	}

	RenditionFormat renditionFormatParsed() {
		return RenditionFormat.parse(renditionFormat);
	}

	Path tempDirOrDefault() {
		return (tempDir != null && !tempDir.toString().isBlank()) ? tempDir
				: Path.of(System.getProperty("java.io.tmpdir"), "intake-worker");
	}

}
