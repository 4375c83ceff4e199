package dev.intake.worker.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import dev.intake.contracts.DocumentFormat;
import dev.intake.worker.imaging.rendition.RenditionFormat;
import dev.intake.worker.imaging.rendition.RenditionSpec;
import dev.intake.worker.ingest.inspect.RenditionProfiles;

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
 * @param renditions the renditions made of raster images, by profile
 * @param documents the non-image files accepted from jobs that allow documents
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
		@DefaultValue Renditions renditions, @DefaultValue Documents documents,
		@DefaultValue("0.8") @DecimalMin("0.05") @DecimalMax("1.0") float renditionQuality,
		@DefaultValue("jpeg") @NotNull String renditionFormat, Path tempDir) {

	/**
	 * @param threads images read or decoded at once on this worker
	 * @param timeout longest one read or decode may take; longer fails the item as
	 * {@code CORRUPT_IMAGE}
	 * @param threadPriority Java priority (1-10) of the decode threads: below normal (5), so a busy
	 * core serves request, Kafka and S3 threads before decoding. Linux applies it only when the JVM
	 * runs with {@code -XX:ThreadPriorityPolicy=1} (the container image sets it; lowering needs no
	 * privileges): priority 1 is nice 4, about 40 % of a normal thread's share of a contended core
	 */
	record Decode(@DefaultValue("2") @Min(1) int threads, @DefaultValue("20s") @NotNull Duration timeout,
			@DefaultValue("1") @Min(1) @Max(10) int threadPriority) {
	}

	/**
	 * Rendition profiles: each a list of {@code name:longEdge} or {@code name:longEdge:format}
	 * ({@code jpeg} or {@code webp}; without it, {@code rendition-format}). A profile configured
	 * here replaces the built-in one of that name; built-in profiles not configured stay:
	 * <ul>
	 * <li>{@code default} {@code thumb:256, preview:1024} (the bach.art batch upload, and every
	 * job that names no profile)</li>
	 * <li>{@code anqicms} {@code thumb:240} (the AnqiCMS attachment upload)</li>
	 * <li>{@code inventorum} {@code thumb:150, thumb_retina:300, ipad:768, image:768,
	 * ipad_retina:1536, ebay:1600:jpeg} (the Inventorum images API; its {@code original} is the
	 * stored file)</li>
	 * </ul>
	 * An empty list makes no renditions.
	 *
	 * @param profiles renditions by profile name, each {@code name:longEdge[:format]}; a job names its
	 *        profile (none: {@code default}); built in: {@code default} thumb:256,preview:1024,
	 *        {@code anqicms} thumb:240, {@code inventorum} thumb:150,thumb_retina:300,ipad:768,image:768,
	 *        ipad_retina:1536,ebay:1600:jpeg
	 */
	record Renditions(Map<String, List<String>> profiles) {

		static final Map<String, List<String>> BUILT_IN = builtIn();

		Renditions {
			Map<String, List<String>> merged = new LinkedHashMap<>(BUILT_IN);
			if (profiles != null) {
				profiles.forEach((name, specs) -> merged.put(name, (specs != null) ? List.copyOf(specs) : List.of()));
			}
			profiles = Map.copyOf(merged);
		}

		private static Map<String, List<String>> builtIn() {
			Map<String, List<String>> profiles = new LinkedHashMap<>();
			profiles.put("default", List.of("thumb:256", "preview:1024"));
			profiles.put("anqicms", List.of("thumb:240"));
			profiles.put("inventorum", List.of("thumb:150", "thumb_retina:300", "ipad:768", "image:768",
					"ipad_retina:1536", "ebay:1600:jpeg"));
			return profiles;
		}

		/** The profiles, parsed. */
		RenditionProfiles parsed() {
			Map<String, List<RenditionSpec>> parsed = new LinkedHashMap<>();
			profiles.forEach((name, specs) -> parsed.put(name,
					specs.stream().filter(s -> !s.isBlank()).map(RenditionSpec::parse).toList()));
			return new RenditionProfiles(parsed);
		}

	}

	/**
	 * @param allowed the document formats stored as they are for jobs that allow documents, by
	 * name ({@code pdf, txt, csv, doc, docx, xls, xlsx, mp4}, the default); they share
	 * {@code max-image-size}
	 */
	record Documents(@DefaultValue({ "pdf", "txt", "csv", "doc", "docx", "xls", "xlsx", "mp4" }) List<String> allowed) {

		Set<DocumentFormat> allowedFormats() {
			Set<DocumentFormat> formats = EnumSet.noneOf(DocumentFormat.class);
			for (String name : (allowed != null) ? allowed : List.<String>of()) {
				if (name.isBlank()) {
					continue;
				}
				try {
					formats.add(DocumentFormat.valueOf(name.trim().toUpperCase(Locale.ROOT)));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException("intake.worker.documents.allowed: unknown document format "
							+ name + "; known: pdf, txt, csv, doc, docx, xls, xlsx, mp4", ex);
				}
			}
			return formats;
		}

	}

	IngestProperties {
		if (maxImageSize != null && maxImageSize.toBytes() < 1) {
			throw new IllegalArgumentException("intake.worker.max-image-size must be positive");
		}
	}

	/** The configured rendition profiles, parsed, the built-in ones included. */
	RenditionProfiles renditionProfiles() {
		return ((renditions != null) ? renditions : new Renditions(null)).parsed();
	}

	Set<DocumentFormat> allowedDocuments() {
		return ((documents != null) ? documents : new Documents(List.of())).allowedFormats();
	}

	RenditionFormat renditionFormatParsed() {
		return RenditionFormat.parse(renditionFormat);
	}

	Path tempDirOrDefault() {
		return (tempDir != null && !tempDir.toString().isBlank()) ? tempDir
				: Path.of(System.getProperty("java.io.tmpdir"), "intake-worker");
	}

}
